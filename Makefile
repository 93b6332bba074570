# carpd: one plain Makefile.
#
#   make            libcarp.a, carpd and carpctl in build/
#   make test       installs what is missing, builds, runs every test tier:
#                   unit (plain and ASan+UBSan), a short fuzz run, the
#                   integration suite against carpd built with ASan+UBSan,
#                   then against the plain build (its summary line last)
#   make lint       the layout's dependency direction (docs/layout.md) and the
#                   citations of docs/protocol.md, also in unit
#   make sim        the simulation tier (tests/sim: the engine on virtual
#                   time, deterministic, well under a second), also in test
#   make demo       the seed scenario in network namespaces
#   make fuzz       each libFuzzer target for FUZZ_TIME seconds
#   make bench      benchmarks, written to docs/benchmarks.md
#   make chaos      chaos suite (loss, partition, flaps, kill/restart, load;
#                   ~45 min, CHAOS_LOSS_SECS=600 per loss level), not in test
#   make install    PREFIX=/usr/local DESTDIR=
#   make deb        the Debian package (debian/), in build/deb-pkg/
#   make deps       apt-get install the Debian packages that are missing
#
# CPPFLAGS, CFLAGS and LDFLAGS are honoured as distributions pass them; the
# hardening flags come first, so theirs win.  WERROR=-Werror by default
# (the project's own builds); the package build sets WERROR= .

VERSION	= 0.1.0
PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
# Under /usr (a distribution) the unit goes with the system's units and the
# MIB where net-snmp looks; anywhere else the unit is the administrator's
# (/etc/systemd/system) and the MIB goes under PREFIX, with a hint printed
# if net-snmp does not look there.
ifeq ($(PREFIX),/usr)
UNITDIR	?= /lib/systemd/system
MIBDIR	?= /usr/share/snmp/mibs
else
UNITDIR	?= /etc/systemd/system
MIBDIR	?= $(PREFIX)/share/snmp/mibs
endif
DESTDIR	?=

CC	?= cc
B	?= build
SAN	?=
FUZZ_TIME ?= 60

WERROR	?= -Werror
WARN	= -Wall -Wextra $(WERROR) -Wshadow -Wpointer-arith -Wstrict-prototypes \
	  -Wmissing-prototypes -Wmissing-declarations -Wformat=2 -Wvla
CFLAGS	?= -O2 -g
CPPFLAGS ?=
LDFLAGS	?=
# Hardening: fortified libc calls, stack protector and stack-clash checks,
# control-flow protection, PIE, full RELRO.
HARDEN_CPPFLAGS = -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
HARDEN_CFLAGS	= -fstack-protector-strong -fstack-clash-protection \
		  -fcf-protection -fPIE
HARDEN_LDFLAGS	= -pie -Wl,-z,relro -Wl,-z,now
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DCARPD_VERSION=\"$(VERSION)\" \
	  $(HARDEN_CPPFLAGS) $(CPPFLAGS) $(WARN) $(HARDEN_CFLAGS) $(CFLAGS) \
	  -I. -MMD -MP
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	  -fno-sanitize-recover=all
SANLD	= -fsanitize=address,undefined
endif
LD_ALL	= $(SANLD) $(HARDEN_LDFLAGS) $(LDFLAGS)

SNMP_LIBS  = -lnetsnmpagent -lnetsnmp
# sd_notify(3): agent/service.c.
AGENT_LIBS = -levent -levent_pthreads -ljansson -lmnl -lcrypto -lpthread \
	     -lsystemd
CARP_LIBS  = -lcrypto
# carpctl is a JSON client of the HTTP API: libc and jansson (and OpenSSL,
# below), nothing of carpd's (docs/layout.md; make lint checks it).
CTL_LIBS   = -ljansson

# TLS: the HTTP endpoint through libevent's bufferevent_openssl, and
# carpctl's https:// URLs.
AGENT_LIBS += -levent_openssl -lssl
CTL_LIBS   += -lssl -lcrypto

CARP_SRCS  = $(sort $(wildcard carp/*.c))
AGENT_SRCS = $(sort $(filter-out agent/carpd.c,$(wildcard agent/*.c)))
EXP_SRCS   = $(sort $(filter-out exporters/carpctl.c,$(wildcard exporters/*.c)))
UNIT_SRCS  = $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRCS = $(sort $(wildcard tests/bench/bench_*.c))
SIM_SRCS   = $(sort $(wildcard tests/sim/sim_*.c))
FUZZ_SRCS  = $(sort $(wildcard tests/fuzz/fuzz_*.c))

CARP_OBJS  = $(CARP_SRCS:%.c=$(B)/%.o)
AGENT_OBJS = $(AGENT_SRCS:%.c=$(B)/%.o)
EXP_OBJS   = $(EXP_SRCS:%.c=$(B)/%.o)
UNIT_BINS  = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
BENCH_BINS = $(BENCH_SRCS:tests/bench/%.c=$(B)/tests/%)
SIM_BINS   = $(SIM_SRCS:tests/sim/%.c=$(B)/tests/%)

PROGS	= $(B)/carpd
ifneq ($(wildcard exporters/carpctl.c),)
PROGS	+= $(B)/carpctl
endif

.PHONY: all test lint unit unit-plain unit-san fuzz fuzz-short fuzz-build \
	integration integration-san demo bench chaos install clean deps print-objs \
	deb deb-deps sim
.DEFAULT_GOAL := all
.SECONDARY:

all: $(B)/libcarp.a $(PROGS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libcarp.a: $(CARP_OBJS)
	$(AR) rcs $@ $^

$(B)/libagent.a: $(AGENT_OBJS) $(EXP_OBJS)
	$(AR) rcs $@ $^

$(B)/carpd: $(B)/agent/carpd.o $(B)/libagent.a $(B)/libcarp.a
	$(CC) $(LD_ALL) -o $@ $^ $(SNMP_LIBS) $(AGENT_LIBS)

$(B)/carpctl: $(B)/exporters/carpctl.o
	$(CC) $(LD_ALL) -o $@ $^ $(CTL_LIBS)

# Unit tests: tests/unit/test_carp_*.c link libcarp.a alone, which proves it
# needs neither libevent nor net-snmp (jansson reads the test vectors);
# the others link the daemon's objects.
$(B)/tests/test_carp_%: $(B)/tests/unit/test_carp_%.o $(B)/libcarp.a
	@mkdir -p $(dir $@)
	$(CC) $(LD_ALL) -o $@ $^ -lcmocka -ljansson $(CARP_LIBS)

$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(B)/libagent.a $(B)/libcarp.a
	@mkdir -p $(dir $@)
	$(CC) $(LD_ALL) -o $@ $^ -lcmocka $(SNMP_LIBS) $(AGENT_LIBS)

$(B)/tests/bench_carp_%: $(B)/tests/bench/bench_carp_%.o $(B)/libcarp.a
	@mkdir -p $(dir $@)
	$(CC) $(LD_ALL) -o $@ $^ $(CARP_LIBS)

$(B)/tests/bench_%: $(B)/tests/bench/bench_%.o $(B)/libagent.a $(B)/libcarp.a
	@mkdir -p $(dir $@)
	$(CC) $(LD_ALL) -o $@ $^ $(SNMP_LIBS) $(AGENT_LIBS)

# The unit tier, plain and under AddressSanitizer + UBSan.
unit-plain: all $(UNIT_BINS)
	@sh tests/unit/run.sh $(UNIT_BINS)

unit-san:
	@$(MAKE) --no-print-directory B=build/san SAN=1 unit-plain

unit: lint unit-plain unit-san

# Who includes whom (docs/layout.md), and carpctl links nothing it does not
# use (with the carpctl just built); every decision the sources cite is in
# docs/protocol.md.
lint: $(PROGS)
	@sh tests/lint/layout.sh $(B)/carpctl
	@sh tests/lint/protocol.sh

# The simulation tier: N engines (libcarp.a alone) on virtual time joined by
# a simulated link (tests/sim/README.md).
$(B)/tests/sim_%: $(B)/tests/sim/sim_%.o $(B)/tests/sim/sim.o $(B)/libcarp.a
	@mkdir -p $(dir $@)
	$(CC) $(LD_ALL) -o $@ $^ -lcmocka $(CARP_LIBS)

sim: $(B)/libcarp.a $(SIM_BINS)
	@sh tests/unit/run.sh $(SIM_BINS)

# libFuzzer targets, built with clang: the sources once, then one link each.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -DCARPD_VERSION=\"$(VERSION)\" -g -O1 -I. \
	  -fsanitize=fuzzer-no-link,address,undefined -Wall -Wextra -Werror
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_OBJS = $(addprefix build/fuzz/obj/,$(CARP_SRCS:.c=.o) $(AGENT_SRCS:.c=.o) \
	  $(EXP_SRCS:.c=.o))
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) \
	    $(SNMP_LIBS) $(AGENT_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_BINS)

fuzz-short: fuzz-build
	@sh tests/fuzz/run.sh 10 $(FUZZ_BINS)

integration: all
	@sh tests/integration/run.sh

# The same suite with carpd and carpctl built with ASan + UBSan; any report
# fails the test that caused it.
integration-san:
	@$(MAKE) --no-print-directory B=build/san SAN=1 all
	@rm -rf build/san/logs build/san/logs.seen
	@CARPD=$(CURDIR)/build/san/carpd CARPCTL=$(CURDIR)/build/san/carpctl \
	    SAN_LOG_DIR=$(CURDIR)/build/san/logs sh tests/integration/run.sh

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory sim
	@$(MAKE) --no-print-directory fuzz-short
	@$(MAKE) --no-print-directory integration-san
	@$(MAKE) --no-print-directory integration

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/integration/demo.sh

chaos: all
	@bash tests/chaos/run.sh

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@sh tests/bench/run.sh

# Debian packages: build, test and demo.  Installed when missing (as root).
DEB_PKGS = gcc make clang libclang-rt-14-dev pkg-config libssl-dev \
	  libevent-dev libjansson-dev libmnl-dev libsnmp-dev libcmocka-dev \
	  snmpd snmptrapd snmp smitools iproute2 iputils-ping tcpdump tshark \
	  nftables python3 python3-scapy python3-pytest ucarp keepalived \
	  prometheus procps psmisc curl wrk nginx mandoc strace openssl \
	  libsystemd-dev systemd debhelper lintian
# PKGS=...: install those of PKGS that are missing (as root).
APT_MISSING = missing=$$(for p in $(PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" != 0 ]; then \
	        echo "missing Debian packages (run as root to install):" $$missing; \
	        exit 1; \
	    fi; \
	    echo "installing:" $$missing; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && \
	    apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
deps: PKGS = $(DEB_PKGS)
deps:
	@$(APT_MISSING)

# What "make deb" alone needs: debian/control's Build-Depends and the tools.
DEB_BUILD_PKGS = gcc make dpkg-dev debhelper libssl-dev libevent-dev \
	  libjansson-dev libmnl-dev libsnmp-dev libsystemd-dev
deb-deps: PKGS = $(DEB_BUILD_PKGS)
deb-deps:
	@$(APT_MISSING)

# carpctl is in section 8 like carpd: both go to SBINDIR.
install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MIBDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(B)/carpd $(DESTDIR)$(SBINDIR)/carpd
	[ ! -f $(B)/carpctl ] || install -m 0755 $(B)/carpctl $(DESTDIR)$(SBINDIR)/carpctl
	for m in docs/*.[158]; do [ ! -f $$m ] || { \
	    d=$(DESTDIR)$(MANDIR)/man$${m##*.}; install -d $$d && \
	    install -m 0644 $$m $$d/; }; done
	for m in mibs/*.txt; do [ ! -f $$m ] || install -m 0644 $$m $(DESTDIR)$(MIBDIR)/; done
	[ ! -f agent/carpd.service ] || sed 's|@SBINDIR@|$(SBINDIR)|g' agent/carpd.service \
	    > $(DESTDIR)$(UNITDIR)/carpd.service
	@case ":$$(net-snmp-config --default-mibdirs 2>/dev/null):" in \
	*":$(MIBDIR):"*) ;; \
	*) echo "note: net-snmp does not search $(MIBDIR): add" \
	    "\"mibdirs +$(MIBDIR)\" to /etc/snmp/snmp.conf" ;; \
	esac
	@id carpd >/dev/null 2>&1 || echo "note: the unit runs carpd as the" \
	    "user carpd: useradd --system --user-group --no-create-home carpd"

# The Debian package, built from a copy of the tree (less build/ and .git)
# so that dpkg-buildpackage's output lands in DEB_OUT, not above the tree.
DEB_OUT	?= build/deb-pkg
deb: deb-deps
	@rm -rf $(DEB_OUT)/src && mkdir -p $(DEB_OUT)/src
	tar -c --exclude=./build --exclude=./.git . | tar -x -C $(DEB_OUT)/src
	cd $(DEB_OUT)/src && dpkg-buildpackage -b -us -uc
	@ls -1 $(DEB_OUT)/*.deb

clean:
	rm -rf build

print-objs:
	@echo $(CARP_OBJS) $(AGENT_OBJS) $(EXP_OBJS)

-include $(shell find build -path build/deb-pkg -prune -o -name '*.d' -type f -print 2>/dev/null)
