/*
 * test_txq.c: the transmit queue on real sockets (UDP on loopback, no
 * privileges needed): one batch per queue, failures per message, outcomes
 * reported in order to whoever queued, forgotten senders, and messages
 * queued (and even sent) while outcomes are being reported.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/txq.h"

static int		 rx = -1, tx = -1;
static uint16_t		 port;
static char		 log_[256];	/* "who:family:err " per report */
static char		 fails[256];	/* "who:err " per failure */
static int		 queue_in_done;	/* queue one more, from 'D' */
static bool		 send_in_done;	/* and send it at once */

static char		 ids[256];	/* one "sender" per letter */

static void
push(int q, char who, uint16_t dport)
{
	struct carp_addr	 dst;
	struct raw_msg		*m;
	uint8_t			 b = (uint8_t)who;

	memset(&dst, 0, sizeof(dst));
	dst.family = AF_INET;
	dst.a.v4.s_addr = htonl(INADDR_LOOPBACK);
	m = txq_slot(q);
	assert_int_equal(raw_msg_init(m, 1, NULL, &dst, &b, 1), 0);
	((struct sockaddr_in *)(void *)&m->name)->sin_port = htons(dport);
	ids[(uint8_t)who] = who;
	txq_commit(q, &ids[(uint8_t)who]);
}

static void
failed(void *who, const struct carp_addr *dst, int err)
{
	char	 buf[32];

	assert_int_equal(dst->family, AF_INET);
	assert_int_equal(ntohl(dst->a.v4.s_addr), INADDR_LOOPBACK);
	snprintf(buf, sizeof(buf), "%c:%d ", *(char *)who, err);
	strcat(fails, buf);
}

static void
done(void *who, int family, int err)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%c:%d:%d ", *(char *)who,
	    family == AF_INET ? 4 : 6, err);
	strcat(log_, buf);
	if (queue_in_done > 0) {
		queue_in_done--;
		push(TXQ_IP4, 'D', port);
		if (send_in_done)
			txq_send(NULL);
	}
}

/* What arrived on the receiving socket, as a string of payload bytes. */
static void
received(char *out, size_t len)
{
	size_t	 n = 0;
	char	 c;

	while (n + 1 < len && recv(rx, &c, 1, MSG_DONTWAIT) == 1)
		out[n++] = c;
	out[n] = '\0';
}

static int
setup(void **state)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);

	(void)state;
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(rx != -1 && tx != -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(rx, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&sin, &sl), 0);
	port = ntohs(sin.sin_port);
	txq_set_fd(TXQ_IP4, tx);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	txq_free();
	close(rx);
	close(tx);
	return 0;
}

static void
reset(void)
{
	log_[0] = fails[0] = '\0';
	queue_in_done = 0;
	send_in_done = false;
}

/* One batch; the middle message fails (UDP port 0), the others arrive. */
static void
test_batch(void **state)
{
	char	 got[16];

	(void)state;
	reset();
	push(TXQ_IP4, 'A', port);
	push(TXQ_IP4, 'B', 0);
	push(TXQ_IP4, 'C', port);
	assert_int_equal(txq_pending(), 3);
	assert_true(txq_send(failed));
	assert_string_equal(fails, "B:22 ");		/* EINVAL */
	received(got, sizeof(got));
	assert_string_equal(got, "AC");
	/* Sent but not reported: a second send sends nothing again. */
	assert_false(txq_send(failed));
	received(got, sizeof(got));
	assert_string_equal(got, "");
	assert_false(txq_report(done));
	assert_string_equal(log_, "A:4:0 B:4:22 C:4:0 ");
	assert_int_equal(txq_pending(), 0);
}

/* A forgotten sender's messages leave, unreported. */
static void
test_forget(void **state)
{
	char	 got[16];

	(void)state;
	reset();
	push(TXQ_IP4, 'X', port);
	push(TXQ_IP4, 'Y', port);
	push(TXQ_IP4, 'Z', port);
	txq_forget(&ids['Y']);
	txq_send(NULL);
	received(got, sizeof(got));
	assert_string_equal(got, "XYZ");
	assert_false(txq_report(done));
	assert_string_equal(log_, "X:4:0 Z:4:0 ");
}

/*
 * Reporting an outcome may queue a message, and an announcement may even
 * send it at once: it is then neither lost nor sent twice, and its
 * outcome comes in the next report.
 */
static void
test_queue_while_reporting(void **state)
{
	char	 got[16];

	(void)state;
	reset();
	push(TXQ_IP4, 'A', port);
	txq_send(NULL);
	queue_in_done = 1;
	assert_true(txq_report(done));		/* D waits */
	assert_string_equal(log_, "A:4:0 ");
	received(got, sizeof(got));
	assert_string_equal(got, "A");
	assert_false(txq_send(NULL));
	assert_false(txq_report(done));
	assert_string_equal(log_, "A:4:0 D:4:0 ");
	received(got, sizeof(got));
	assert_string_equal(got, "D");

	reset();
	push(TXQ_IP4, 'A', port);
	txq_send(NULL);
	queue_in_done = 1;
	send_in_done = true;
	assert_true(txq_report(done));		/* D sent, not reported */
	received(got, sizeof(got));
	assert_string_equal(got, "AD");
	assert_false(txq_send(NULL));		/* not sent twice */
	received(got, sizeof(got));
	assert_string_equal(got, "");
	assert_false(txq_report(done));
	assert_string_equal(log_, "A:4:0 D:4:0 ");
}

/*
 * The IPv4 queues leave, and are reported, before the IPv6 ones, the
 * packet socket's with them (UDP here: the queues do not look inside).
 */
static void
test_order(void **state)
{
	char	 got[16];
	int	 q;

	(void)state;
	reset();
	for (q = 0; q < TXQ_N; q++)
		txq_set_fd(q, tx);
	push(TXQ_PKT6, 'F', port);
	push(TXQ_IP6, 'E', port);
	push(TXQ_PKT4, 'P', port);
	push(TXQ_IP4, 'I', port);
	push(TXQ_PKT4, 'Q', port);
	assert_false(txq_send(failed));
	received(got, sizeof(got));
	assert_string_equal(got, "IPQEF");
	assert_false(txq_report(done));
	assert_string_equal(log_, "I:4:0 P:4:0 Q:4:0 E:6:0 F:6:0 ");
	for (q = 0; q < TXQ_N; q++)
		txq_set_fd(q, q == TXQ_IP4 ? tx : -1);
}

/* A queue without a socket fails every message with EAFNOSUPPORT. */
static void
test_no_socket(void **state)
{
	struct carp_addr	 dst;
	uint8_t			 b = 1;
	static char		 who = 'V';

	(void)state;
	reset();
	memset(&dst, 0, sizeof(dst));
	dst.family = AF_INET6;
	dst.a.v6.s6_addr[0] = 0xff;
	dst.a.v6.s6_addr[1] = 0x02;
	dst.a.v6.s6_addr[15] = 0x12;
	assert_int_equal(txq_fd(TXQ_IP6), -1);
	assert_int_equal(raw_msg_init(txq_slot(TXQ_IP6), 1, NULL, &dst, &b,
	    1), 0);
	txq_commit(TXQ_IP6, &who);
	assert_true(txq_send(NULL));
	assert_false(txq_report(done));
	assert_string_equal(log_, "V:6:97 ");		/* EAFNOSUPPORT */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_queue_while_reporting),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_no_socket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
