# SPDX-License-Identifier: GPL-2.0
# Thin wrapper around Kbuild (which owns the module's objects and flags).
#
#   make                      p2pfence.ko for the running kernel if its headers
#                             exist, else for the pinned 6.12
#   make module KVER=6.1      ... or KVER=6.12, or a full release string
#   make module W=1 C=2       extra warnings / sparse, passed through to Kbuild
#   make ctl | check | demo | bench | kunit | style | clean
#   make demo KERNEL=6.1      the demo on 6.1 (default 6.12)
#
# Each kernel's objects live in build/<release>/ (a copy of Kbuild, kmod/ and
# uapi/ in build/<release>/src, built with M=), so two kernels never share
# objects. The result is build/<release>/p2pfence.ko.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
include $(TOP)/scripts/versions.mk
# as scripts/versions.sh: P2PFENCE_CACHE moves the cache, and the releases
# scripts/deps fetched (a fallback when a pin left the archive) win
ifneq ($(P2PFENCE_CACHE),)
CACHE_DIR := $(P2PFENCE_CACHE)
endif
-include $(CACHE_DIR)/releases.mk

RUNNING := $(shell uname -r)
ifeq ($(KVER),)
ifneq ($(wildcard /lib/modules/$(RUNNING)/build/Makefile),)
KVER := $(RUNNING)
else
KVER := $(KVER_612)
endif
endif
# short names
ifeq ($(KVER),6.1)
override KVER := $(KVER_61)
endif
ifeq ($(KVER),6.12)
override KVER := $(KVER_612)
endif

# headers: the installed ones if the release is installed, else the cache
ifeq ($(KDIR),)
ifneq ($(wildcard /lib/modules/$(KVER)/build/Makefile),)
KDIR := /lib/modules/$(KVER)/build
else
KDIR := $(CACHE_DIR)/kernels/$(KVER)/usr/src/linux-headers-$(KVER)
endif
endif

BUILD := $(TOP)/build/$(KVER)
DEPS := DEPS_QUIET=1 $(TOP)/scripts/deps
KBUILD_ARGS := $(if $(W),W=$(W)) $(if $(C),C=$(C)) $(if $(V),V=$(V))
# build products in the copied tree; the copy keeps them across runs
RSYNC_KEEP := --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order' \
	--exclude='Module.symvers' --exclude='*.a' --exclude='.*.d' \
	--exclude='.tmp_*'

.PHONY: all module module-locked deps ctl check demo bench stress kunit style clean help \
	dkms-install deb pkgcheck

all: module

deps:
	@$(DEPS)

# One build per kernel at a time (the tree may be shared): flock.
module: deps
	@test -f $(KDIR)/Makefile || { echo "no headers for $(KVER) at $(KDIR)" >&2; exit 2; }
	@mkdir -p $(BUILD)/src
	@flock $(BUILD)/.lock $(MAKE) --no-print-directory -f $(TOP)/Makefile \
		module-locked KVER=$(KVER) KDIR=$(KDIR)

module-locked:
	@rsync -a --delete $(RSYNC_KEEP) $(TOP)/Kbuild $(TOP)/kmod $(TOP)/uapi \
		$(TOP)/debian/changelog $(BUILD)/src/
	$(MAKE) -C $(KDIR) M=$(BUILD)/src $(KBUILD_ARGS) modules
	@cp $(BUILD)/src/p2pfence.ko $(BUILD)/p2pfence.ko.tmp
	@mv $(BUILD)/p2pfence.ko.tmp $(BUILD)/p2pfence.ko
	@echo "built $(BUILD:$(TOP)/%=%)/p2pfence.ko"

ctl: deps
	@mkdir -p $(TOP)/build
	flock $(TOP)/build/.ctl.lock $(MAKE) -C $(TOP)/ctl

check:
	@$(TOP)/scripts/check

demo:
	@$(TOP)/scripts/demo $(if $(KERNEL),--kernel $(KERNEL))

bench: deps
	$(MAKE) -C $(TOP)/bench
	@$(TOP)/scripts/bench-guard

stress: deps
	@$(TOP)/scripts/stress

dkms-install: deps
	@$(TOP)/scripts/dkms-install -k $(KVER) --kernelsourcedir $(KDIR)

deb: deps
	@$(TOP)/scripts/mkdeb

pkgcheck: deps
	@$(TOP)/scripts/pkgtest

kunit: deps
	@$(TOP)/scripts/kunit

style: deps
	@$(TOP)/scripts/checkpatch

clean:
	rm -rf $(TOP)/build
	-@test ! -f $(TOP)/ctl/Makefile || $(MAKE) -C $(TOP)/ctl clean

help:
	@sed -n '2,13s/^# \{0,1\}//p' $(TOP)/Makefile
