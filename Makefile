# SPDX-License-Identifier: GPL-2.0-only
# Top-level build: kernel modules (Kbuild), userspace (hv, hv-vmm), tests, lab.

ABI_FILE  := build/abi
KABI      ?= $(shell cat $(ABI_FILE) 2>/dev/null)
KDIR      ?= /lib/modules/$(KABI)/build
CC        ?= gcc
CFLAGS_COMMON := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow \
		 -Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE \
		 -Iinclude -Ihv
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

COMMON_SRC := $(wildcard hv/common/*.c)
TOOLS_SRC  := $(wildcard hv/tools/*.c) hv/vmm/bootparams.c
VMM_SRC    := $(wildcard hv/vmm/*.c)
HDRS       := $(wildcard include/xen/hvx/*.h hv/common/*.h hv/tools/*.h hv/vmm/*.h \
			      drivers/xen/pciback/bdf.h drivers/xen/pciback/conf_filter.h \
			      hv/kernel/*_2l.h hv/kernel/grant_entry.h hv/kernel/physmap.h tests/unit/*.h)

BIN := build/bin

.PHONY: all deps modules tools unit check check-kernel lab demo bench clean style

all: modules tools

deps:
	@scripts/deps

modules: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 $(if $(HVX_DEBUG),CONFIG_HVX_DEBUG=y) modules

tools: $(BIN)/hv $(BIN)/hv-vmm

$(BIN)/hv: $(TOOLS_SRC) $(COMMON_SRC) $(HDRS)
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS_COMMON) -static -o $@ $(TOOLS_SRC) $(COMMON_SRC)

$(BIN)/hv-vmm: $(VMM_SRC) $(COMMON_SRC) $(HDRS)
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS_COMMON) -static -pthread -o $@ $(VMM_SRC) $(COMMON_SRC)

# The store: xenstored (hv/xenstored) and the multi-call xenstore tool
# (hv/xstools) with Xen's xenstore-* names as symlinks beside it.
XSD_SRC     := $(wildcard hv/xenstored/*.c)
XSTOOLS_SRC := $(wildcard hv/xstools/*.c)
XS_LINKS    := xenstore-read xenstore-write xenstore-ls xenstore-list xenstore-rm \
	       xenstore-exists xenstore-watch xenstore-chmod

tools: $(BIN)/xenstored $(BIN)/xenstore

$(BIN)/xenstored: $(XSD_SRC) $(COMMON_SRC) $(HDRS) hv/xenstored/xsd.h
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS_COMMON) -static -o $@ $(XSD_SRC) $(COMMON_SRC)

$(BIN)/xenstore: $(XSTOOLS_SRC) $(COMMON_SRC) $(HDRS) hv/xstools/xstools.h
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS_COMMON) -static -o $@ $(XSTOOLS_SRC) $(COMMON_SRC)
	@for l in $(XS_LINKS); do ln -sf xenstore $(BIN)/$$l; done

build/unit/xsd_test build/unit/xsclient_test: $(XSD_SRC) hv/xenstored/xsd.h

# A lab probe that plays a guest on its store ring (with xenstored's ring code).
$(BIN)/xs-ring-probe: tests/lab/xs-ring-probe.c hv/xenstored/ring.c hv/xenstored/xsd.h $(HDRS)
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS_COMMON) -static -o $@ tests/lab/xs-ring-probe.c hv/xenstored/ring.c

# Test tools that run in the lab: tests/lab/NAME.c -> build/bin/NAME.
build/bin/%: tests/lab/%.c include/xen/hvx/hvctl.h
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS_COMMON) -static -o $@ $<

# Host unit tests: tests/unit/NAME_test.c, linked with the sources that
# tests/unit/NAME.deps lists, built with ASan/UBSan.
UNIT_TESTS := $(patsubst tests/unit/%_test.c,build/unit/%_test,$(wildcard tests/unit/*_test.c))

# A test that names the config parser gets the spec parsers it calls too.
CONFIG_PARTS := hv/common/config.c hv/common/vif_spec.c hv/common/disk_spec.c
unit_srcs = $(sort $(foreach f,$(shell cat tests/unit/$(1).deps), \
		$(if $(filter hv/common/config.c,$(f)),$(CONFIG_PARTS),$(f))))

build/unit/%_test: tests/unit/%_test.c tests/unit/%.deps tests/unit/unit.h $(HDRS) $(COMMON_SRC) $(VMM_SRC)
	@mkdir -p build/unit
	$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -Itests/unit -o $@ $< $(call unit_srcs,$*)

unit: $(UNIT_TESTS)
	@scripts/run-unit $(UNIT_TESTS)

check: deps
	@scripts/check

# The suite in a kernel tree (Debian's linux-source-6.1, cached under
# build/): graft, build in tree, boot an in-tree domU kernel in the lab.
check-kernel: deps
	@scripts/check-kernel

lab: deps all
	@scripts/lab shell

demo: deps
	@scripts/demo

bench: deps
	@scripts/bench

style:
	@scripts/style

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build/bin build/unit build/lab
