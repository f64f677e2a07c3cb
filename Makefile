# cellwall: build, check, demo.
#
#   make              module (against KDIR) and userland
#   make check        install what is missing, build, run host and guest tests
#   make check-kernels  the same with the whole guest suite on 6.1 and 6.12
#   make deb          the packages cellwall and cellwall-dkms, in build/deb/
#   make check-debug  the guest suite again under a debug kernel (KASAN, ...)
#   make demo         boot a guest, load the module, make traffic, show status
#   make bench        throughput and request rate with and without cellwall
#   make vm-shell     an interactive guest for debugging

VERSION := 0.1.0
# The commit count first, so that dpkg orders two builds as git does.
GITREV := $(shell git rev-list --count HEAD 2>/dev/null).g$(shell git rev-parse --short HEAD 2>/dev/null)
CW_VERSION := $(VERSION)$(if $(filter-out .g,$(GITREV)),+$(GITREV))

# The kernel series Debian 12 offers: its own (linux-headers-amd64, KVER)
# and 6.12 from its security archive (KVER_612). The guests boot the same.
kernel_of = $(shell dpkg-query -W -f='$${Depends}' $(1) 2>/dev/null | \
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
KVER ?= $(call kernel_of,linux-headers-amd64)
KVER_612 ?= $(call kernel_of,linux-headers-6.12-amd64)
KDIR ?= /lib/modules/$(KVER)/build

B := build
CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -std=gnu11 -include $(B)/version.h \
	-Ikmod -Iuserland/lib -Iuserland/daemon $(shell pkg-config --cflags libnl-genl-3.0 jansson 2>/dev/null)
LDLIBS := $(shell pkg-config --libs libnl-genl-3.0 jansson audit auparse 2>/dev/null)

LIB_SRCS := $(wildcard userland/lib/*.c)
CLI_SRCS := $(wildcard userland/cli/*.c)
# The daemon's parts, in a library the unit tests link too.
DAEMON_SRCS := $(filter-out userland/daemon/main.c,$(wildcard userland/daemon/*.c))
# The DPI parsers: kernel code, built for userland as well (tests, fuzz, bench).
DPI_SRCS := $(wildcard kmod/dpi/*.c kmod/threat/*.c)
UNIT_SRCS := $(wildcard tests/unit/*_test.c)
KSFT_SRCS := $(wildcard tests/kselftests/*_test.c)
HARNESS := $(B)/kselftest/kselftest_harness.h

UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
KSFT_BINS := $(patsubst tests/kselftests/%.c,$(B)/tests/kselftests/%,$(KSFT_SRCS))

all: module userland

module:
	@test -d "$(KDIR)" || { echo "cellwall: no kernel headers at KDIR=$(KDIR) (make deps installs them)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod CW_VERSION=$(CW_VERSION) W=1 KCFLAGS=-Werror modules

userland: $(B)/cellwall $(B)/cellwalld

$(B)/libcellwall.a: $(patsubst %.c,$(B)/%.o,$(LIB_SRCS))
	$(AR) rcs $@ $^

$(B)/libcwdpi.a: $(patsubst %.c,$(B)/%.o,$(DPI_SRCS))
	$(AR) rcs $@ $^

$(B)/kmod/dpi/%.o $(B)/kmod/threat/%.o: CFLAGS += -Wno-unused-parameter

$(B)/cellwall: $(patsubst %.c,$(B)/%.o,$(CLI_SRCS)) $(B)/libcellwall.a $(B)/libcwdpi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libcellwalld.a: $(patsubst %.c,$(B)/%.o,$(DAEMON_SRCS))
	$(AR) rcs $@ $^

$(B)/cellwalld: $(B)/userland/daemon/main.o $(B)/libcellwalld.a $(B)/libcellwall.a $(B)/libcwdpi.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Rewritten only when the version changes, so that objects rebuild then.
$(B)/version.h: FORCE
	@mkdir -p $(B)
	@echo '#define CW_VERSION "$(CW_VERSION)"' | cmp -s - $@ || \
		echo '#define CW_VERSION "$(CW_VERSION)"' > $@

$(B)/%.o: %.c $(B)/version.h $(wildcard kmod/uapi/*.h kmod/dpi/*.h kmod/threat/*.h userland/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# The kselftest harness comes from Debian's kernel source; never committed.
$(HARNESS):
	@test -f /usr/src/linux-source-6.1.tar.xz || { echo "cellwall: linux-source-6.1 is not installed (make deps)" >&2; exit 1; }
	@mkdir -p $(B)/kselftest.tmp
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C $(B)/kselftest.tmp --strip-components=4 \
		--wildcards 'linux-source-6.1/tools/testing/selftests/kselftest*.h'
	rm -rf $(B)/kselftest && mv $(B)/kselftest.tmp $(B)/kselftest

TEST_CFLAGS = $(CFLAGS) -I$(B)/kselftest -Itests/kselftests -Wno-unused-parameter

$(B)/tests/%: tests/%.c $(B)/version.h $(HARNESS) $(B)/libcellwalld.a $(B)/libcellwall.a $(B)/libcwdpi.a $(wildcard tests/kselftests/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libcellwalld.a $(B)/libcellwall.a $(B)/libcwdpi.a $(LDLIBS)

# The tests run the CLI and compare its version: keep them in step.
tests: $(UNIT_BINS) $(KSFT_BINS) $(B)/cellwall $(B)/cellwalld

dkms-src:
	rm -rf $(B)/dkms && mkdir -p $(B)/dkms/cellwall-$(CW_VERSION)
	cp -r kmod/Kbuild kmod/*.c kmod/*.h kmod/uapi kmod/dpi kmod/threat $(B)/dkms/cellwall-$(CW_VERSION)/
	echo '$(CW_VERSION)' > $(B)/dkms/cellwall-$(CW_VERSION)/version
	sed 's/@VERSION@/$(CW_VERSION)/' dkms/dkms.conf > $(B)/dkms/cellwall-$(CW_VERSION)/dkms.conf

# The packages cellwall and cellwall-dkms (debian/), into $(B)/deb/.
deb:
	@CW_VERSION=$(CW_VERSION) tests/deb-build.sh

.PHONY: deb

deps:
	@tests/install-deps.sh

# build_quietly TARGETS: a build that shows its log, and a count CI can
# read, only when it fails.
build_quietly = @mkdir -p $(B) && $(MAKE) -j$(shell nproc) --no-print-directory $(1) >$(B)/make.log 2>&1 || \
	{ cat $(B)/make.log; echo "0 passed, 1 failed"; exit 1; }

check: deps
	$(call build_quietly,all tests dkms-src)
	@KVER=$(KVER) KVER_612=$(KVER_612) CW_VERSION=$(CW_VERSION) tests/check.sh

# make check with the whole guest suite and the install test on both series.
check-kernels: deps
	$(call build_quietly,all tests dkms-src deb)
	@KVER=$(KVER) KVER_612=$(KVER_612) CW_VERSION=$(CW_VERSION) CW_ALL_KERNELS=1 tests/check.sh

check-debug: deps
	$(call build_quietly,all tests)
	@CW_VERSION=$(CW_VERSION) tests/check-debug.sh

demo: deps all
	tests/vm/run.sh -k $(KVER) -- tests/demo.sh

# Not a test: the payload checks' instruction counts (bench-threat), then
# ratios measured side by side in one guest run.
bench: deps all $(B)/tests/bench/rr bench-threat
	KVER=$(KVER) tests/bench/run.sh

# Not a test: the HTTP and SQL checks' cost in instructions (callgrind).
bench-threat: $(B)/tests/bench/threat/bench
	tests/bench/threat/run.sh $<

.PHONY: bench-threat

vm-shell: deps all
	tests/vm/run.sh -k $(KVER) -i

clean:
	-$(MAKE) -C kmod KDIR=$(KDIR) clean >/dev/null 2>&1
	rm -rf $(B)

.PHONY: FORCE all module userland tests dkms-src deps check check-kernels check-debug demo bench vm-shell clean

# ==== make fuzz, make bench-dpi: the DPI parsers in userland ================
#
#   make fuzz        a libFuzzer target per parser and per threat checker,
#                    FUZZ_SECONDS (10) each, seeded from tests/dpi/pcap/*.pcap
#   make bench-dpi   cellwall's DPI beside nDPI on tests/dpi/pcap/*.pcap (or
#                    PCAPS=...): identification, state, instructions per
#                    packet (callgrind); V=1 lists every flow
#
# The fuzzers build the same kmod/dpi/*.c and kmod/threat/*.c with clang and
# sanitizers, into build/fuzz/, apart from the gcc objects.

FUZZ_SECONDS ?= 10
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
FUZZ_CC ?= clang
FZ := $(B)/fuzz
# The parsers, in the engine's table: &cw_dpi_<name>,
FUZZ_PARSERS := $(shell sed -n 's/^[[:space:]]*&cw_dpi_\([a-z0-9_]*\),.*/\1/p' kmod/dpi/engine.c)
FUZZ_CFLAGS := -O1 -g -Wall -Wextra -Werror -std=gnu11 -Ikmod -fno-sanitize-recover=all
FUZZ_DPI_OBJS := $(patsubst kmod/%.c,$(FZ)/obj/%.o,$(DPI_SRCS))
# The threat checkers, in scan.c's table: &cw_threat_<name>,
FUZZ_CHECKERS := $(shell sed -n 's/^[[:space:]]*&cw_threat_\([a-z0-9_]*\),.*/\1/p' kmod/threat/scan.c)
FUZZ_BINS := $(addprefix $(FZ)/dpi_fuzz_,$(FUZZ_PARSERS)) \
	$(addprefix $(FZ)/threat_fuzz_,$(FUZZ_CHECKERS))
DPI_HDRS := $(wildcard kmod/uapi/*.h kmod/dpi/*.h kmod/threat/*.h)
DPI_PCAPS := $(wildcard tests/dpi/pcap/*.pcap)
PCAPS ?= $(DPI_PCAPS)
PCAPFLOW := $(B)/tests/bench/dpi/pcapflow.o
REPLAY := $(B)/tests/bench/dpi/replay
# -isystem: nDPI's own headers are not held to -Werror.
NDPI_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags libndpi 2>/dev/null))
NDPI_LIBS := $(shell pkg-config --libs libndpi 2>/dev/null || echo -lndpi)

# Warnings of the parsers are the gcc build's to fail on (clang differs).
$(FZ)/obj/%.o: kmod/%.c $(DPI_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-error -Wno-unused-parameter \
		-fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

$(FZ)/libcwdpi.a: $(FUZZ_DPI_OBJS)
	$(AR) rcs $@ $^

# One driver, compiled for each parser.
$(FZ)/dpi_fuzz_%: tests/fuzz/dpi_fuzz.c $(FZ)/libcwdpi.a $(DPI_HDRS) tests/fuzz/fuzz_input.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-unused-parameter -fsanitize=fuzzer,address,undefined \
		-DFUZZ_PARSER='"$*"' -o $@ $< $(FZ)/libcwdpi.a

$(FZ)/threat_fuzz_%: tests/fuzz/threat_fuzz.c $(FZ)/libcwdpi.a $(DPI_HDRS) tests/fuzz/fuzz_input.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-unused-parameter -fsanitize=fuzzer,address,undefined \
		-DFUZZ_CHECKER='"$*"' -o $@ $< $(FZ)/libcwdpi.a

$(PCAPFLOW): tests/bench/dpi/pcapflow.h

$(B)/tests/fuzz/pcap2corpus: tests/fuzz/pcap2corpus.c $(PCAPFLOW) $(B)/version.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(PCAPFLOW) -lpcap

$(REPLAY): tests/bench/dpi/replay.c $(PCAPFLOW) $(B)/libcwdpi.a $(B)/version.h $(DPI_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(NDPI_CFLAGS) $(LDFLAGS) -o $@ $< $(PCAPFLOW) $(B)/libcwdpi.a -lpcap $(NDPI_LIBS)

# The pcap unit test shares the replay's pcap-to-flows code.
$(B)/tests/unit/dpi_pcap_test: $(PCAPFLOW) tests/bench/dpi/pcapflow.h
$(B)/tests/unit/dpi_pcap_test: LDLIBS += $(PCAPFLOW) -lpcap

# The seeds are made anew each run: the pcaps come and go.
fuzz: deps $(FUZZ_BINS) $(B)/tests/fuzz/pcap2corpus
	@rm -rf $(FZ)/seeds && mkdir -p $(FZ)/seeds
	@$(B)/tests/fuzz/pcap2corpus $(FZ)/seeds $(DPI_PCAPS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) tests/fuzz/run.sh $(FZ) $(FUZZ_PARSERS) \
		$(addprefix threat-,$(FUZZ_CHECKERS))

# Not a test: fails on errors only, never on the figures.
bench-dpi: deps $(REPLAY)
	@tests/bench/dpi/run.sh $(REPLAY) $(if $(filter 1,$(V)),-v) $(PCAPS)

.PHONY: fuzz bench-dpi
