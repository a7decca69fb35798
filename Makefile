# pqfoot -- read Apache Parquet footers in a fraction of their size.
# Plain GNU make. `make help` lists the targets.

PREFIX      ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
LIBDIR      ?= $(EXEC_PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
BINDIR      ?= $(EXEC_PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR     ?=
INSTALL     ?= install

CC       ?= cc
CXX      ?= g++
AR       ?= ar
OPT      ?= -O2
# -Werror only where the warnings are ours to fix: `make check` (and so CI) sets WERROR=-Werror;
# a user's `make`/`make install` with a newer compiler warns but builds.
WERROR   ?=
WARN     := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= $(OPT) -g
# _FILE_OFFSET_BITS=64: 64-bit off_t/ino_t on 32-bit hosts (readdir, fstat, files over 2 GiB).
PQF_CFLAGS := -std=c11 $(WARN) -D_POSIX_C_SOURCE=200809L -D_FILE_OFFSET_BITS=64 -Iinclude -Isrc -MMD -MP
BUILD    ?= build
# The Apache parquet-testing checkout, relative to the repository root (tests print a SKIP line
# when it is absent). Exported: the Check suites, tests/cli/run.sh and tests/oracle read it.
PQF_TESTING ?= ../shared/parquet-testing
export PQF_TESTING
# PQF_NO_DEPS=1: `make check`/`demo`/`bench` do not run tools/install-deps.sh (packagers, non-Debian).
PQF_NO_DEPS ?=

VERSION := $(shell sed -n 's/^\#define PQF_VERSION_STRING "\(.*\)"/\1/p' include/pqfoot.h)
LIBS     := -lzstd -lxxhash -pthread

# The dataset layer (src/dataset/) sits on the public API: it is compiled without -Isrc, so
# it can include only include/*.h and its own src/dataset/dataset.h.
DATASET_SRC := $(sort $(wildcard src/dataset/*.c))
LIB_SRC := $(sort $(wildcard src/*.c)) $(DATASET_SRC)
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
PUBLIC_HEADERS := include/pqfoot.h include/pqfoot_dataset.h
LIB     := $(BUILD)/libpqfoot.a

# Fragments add to these.
ALL_TARGETS   := $(LIB)
CHECK_TARGETS :=
DEMO_TARGETS  :=
BENCH_TARGETS :=
FUZZ_TARGETS  :=
CLEAN_DIRS    := build build-asan build-fuzz build-nowide build-scalar build-cross

.PHONY: all check demo bench fuzz fuzz-run asan install uninstall clean help deps FORCE \
        install-static install-includes install-pc install-bin

## all: build libpqfoot.a and the pqfoot CLI under build/
all: lib-and-tools

# Objects depend on the flags they were compiled with, so that changing CC, CFLAGS or WERROR
# (e.g. `make all` then `make check`) recompiles them. The file changes only when the flags do.
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW    = $(CC) $(PQF_CFLAGS) $(CFLAGS)
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' | cmp -s - $@ || \
	    printf '%s\n' '$(subst ','\'',$(FLAGS_NOW))' > $@
FORCE:

$(BUILD)/obj/%.o: src/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/dataset/%.o: src/dataset/%.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(filter-out -Isrc,$(PQF_CFLAGS)) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

## deps: install missing Debian packages (apt-get; needs root); PQF_NO_DEPS=1 skips it
deps:
	@if [ -n "$(PQF_NO_DEPS)" ]; then echo "deps: skipped (PQF_NO_DEPS=$(PQF_NO_DEPS))"; \
	 else bash tools/install-deps.sh; fi

# pqfoot.pc holds the install paths: regenerated whenever PREFIX, LIBDIR, INCLUDEDIR or the
# version differ from the last generation (the .vars file changes only then).
PC_VARS := $(PREFIX)|$(LIBDIR)|$(INCLUDEDIR)|$(VERSION)
$(BUILD)/pqfoot.pc.vars: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(PC_VARS)' | cmp -s - $@ || printf '%s\n' '$(PC_VARS)' > $@

$(BUILD)/pqfoot.pc: pqfoot.pc.in $(BUILD)/pqfoot.pc.vars
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

# In-tree fragments: `include`, not `-include`, so a missing or renamed one stops make.
include tests/tests.mk
include tools/tools.mk
include tests/oracle/oracle.mk
include fuzz/fuzz.mk
include bench/bench.mk
include examples/examples.mk
include python/python.mk

lib-and-tools: $(ALL_TARGETS) $(BUILD)/pqfoot.pc

## check: install dependencies (PQF_NO_DEPS=1 skips), build with -Werror, run every test
check: deps
	$(MAKE) WERROR=-Werror all
	$(MAKE) WERROR=-Werror $(CHECK_TARGETS)
	@echo "make check: all test suites passed"

## demo: install dependencies and show a bundled example footer
demo: deps
	$(MAKE) all
	$(MAKE) $(DEMO_TARGETS)

## bench: pqfoot vs Apache Thrift C++ on generated seed-shaped footers
bench: deps
	$(MAKE) all
	$(MAKE) $(BENCH_TARGETS)

## asan: library and CLI with ASan+UBSan into build-asan/
asan:
	$(MAKE) BUILD=build-asan CC=clang OPT=-O1 \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" lib-and-tools

## cross-check: arm64, s390x, i386 with Debian cross compilers: suites under qemu-user, dump --json
## and .pqfi byte for byte against the native build (installs what it needs; not in `check`;
## CROSS_TARGETS="s390x i386" picks targets)
CROSS_TARGETS ?=
.PHONY: cross-check
cross-check:
	bash tools/cross-check.sh $(CROSS_TARGETS)

## install: install library, headers (pqfoot.h, pqfoot_dataset.h), pqfoot.pc and the CLI under $(DESTDIR)$(PREFIX)
install: install-static install-includes install-pc install-bin
install-static: $(LIB)
	$(INSTALL) -d $(DESTDIR)$(LIBDIR)
	$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libpqfoot.a
install-includes:
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)
	$(INSTALL) -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/
install-pc: $(BUILD)/pqfoot.pc
	$(INSTALL) -d $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 644 $(BUILD)/pqfoot.pc $(DESTDIR)$(PKGCONFIGDIR)/pqfoot.pc
install-bin: lib-and-tools
	$(INSTALL) -d $(DESTDIR)$(BINDIR)
	@if [ -x $(BUILD)/pqfoot ]; then $(INSTALL) -m 755 $(BUILD)/pqfoot $(DESTDIR)$(BINDIR)/pqfoot; fi

## uninstall: remove what install put in place
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libpqfoot.a $(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(notdir $(PUBLIC_HEADERS))) \
	      $(DESTDIR)$(PKGCONFIGDIR)/pqfoot.pc $(DESTDIR)$(BINDIR)/pqfoot

## clean: remove build outputs
clean:
	rm -rf $(CLEAN_DIRS)

## help: list targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

-include $(LIB_OBJ:.o=.d)
