# slow.py MODE HOST PORT SECS N SRC...: MODE "trickle": N clients spread
# over the SRC addresses each send one byte of a never-ending request
# header every second, reconnecting 1 s after carpd closes them; prints
# one line per closed connection: "closed SRC LIFETIME_S".  MODE "idle":
# N keep-alive clients each complete one GET /v1/status, then stay idle
# and silent; prints "served K" once all answered, then "closed SRC
# LIFETIME_S" lines.
import selectors, socket, sys, time
mode, host, port, secs, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    float(sys.argv[4]), int(sys.argv[5])
srcs = sys.argv[6:]
sel = selectors.DefaultSelector()
HDR = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100000
REQ = b"GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"
conns = {}	# sock -> [src, t_open, bytes_sent, got]
pending = []	# (t, src) reconnects
served = 0

def open_one(src):
    s = socket.socket()
    s.setblocking(False)
    s.bind((src, 0))
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    conns[s] = [src, time.monotonic(), 0, b""]
    sel.register(s, selectors.EVENT_READ)
    if mode == "idle":
        sel.modify(s, selectors.EVENT_READ | selectors.EVENT_WRITE)

def close_one(s):
    global served
    src, t0, _, _ = conns.pop(s)
    sel.unregister(s)
    s.close()
    print("closed %s %.2f" % (src, time.monotonic() - t0), flush=True)
    if mode == "trickle":
        pending.append((time.monotonic() + 1.0, src))

for i in range(n):
    open_one(srcs[i % len(srcs)])
end = time.monotonic() + secs
last_tick = 0.0
while time.monotonic() < end:
    for key, ev in sel.select(0.1):
        s = key.fileobj
        if s not in conns:
            continue
        c = conns[s]
        if ev & selectors.EVENT_WRITE:
            try:
                s.send(REQ)
            except OSError:
                close_one(s)
                continue
            sel.modify(s, selectors.EVENT_READ)
            continue
        try:
            d = s.recv(65536)
        except OSError:
            d = b""
        if not d:
            close_one(s)
            continue
        if mode == "idle" and b"\r\n\r\n" in c[3] + d and not c[3]:
            served += 1
            if served == n:
                print("served %d" % served, flush=True)
        c[3] += d
    now = time.monotonic()
    if mode == "trickle" and now - last_tick >= 1.0:
        last_tick = now
        for s, c in list(conns.items()):
            try:
                s.send(HDR[c[2]:c[2] + 1])
                c[2] += 1
            except BlockingIOError:
                pass
            except OSError:
                close_one(s)
    while pending and pending[0][0] <= now:
        open_one(pending.pop(0)[1])
print("end open=%d" % len(conns), flush=True)
