# Check suites: every tests/test_<area>.c is its own Check program (own main via
# tests/check_support.h), built three times: with gcc (build/tests/), with clang
# ASan+UBSan+LSan (build-asan/tests/) and scalar (build-scalar/tests/: no SSE2, no
# AVX-512). `make check` runs all three.

TEST_SRC   := $(sort $(wildcard tests/test_*.c))
TEST_BINS  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# tests/support/: the header-only helpers the suites share with fuzz/ (the compact-protocol
# writer, the footer builders, the counting allocator and footer checks).
TEST_SUPPORT_HDRS := $(wildcard tests/support/*.h)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(BUILD)/tests/%: tests/%.c $(LIB) tests/check_support.h $(TEST_SUPPORT_HDRS)
	@mkdir -p $(@D)
	$(CC) $(PQF_CFLAGS) $(CFLAGS) -Itests -Itests/support -DPQF_TEST_DATA='"tests/data"' $< -o $@ $(LIB) $(LIBS) $(CHECK_LIBS) $(LDFLAGS)

# TEST_RUNNER runs each suite through a program, e.g. TEST_RUNNER=qemu-s390x (tools/cross-check.sh).
TEST_RUNNER ?=
# Check runs each test in a child process; CK_FORK=no runs them in-process (qemu-i386 hangs in
# Check's forked children).
CK_FORK ?= yes

.PHONY: unit-tests unit-tests-asan unit-tests-nowide unit-tests-scalar
## unit-tests: build and run the Check suites with the default compiler
unit-tests: $(TEST_BINS)
	@if [ ! -d "$(PQF_TESTING)/data" ]; then echo "unit-tests: SKIP the parquet-testing cases:" \
	    "$(PQF_TESTING)/data is absent (set PQF_TESTING to the checkout)"; fi
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; CK_FORK=$(CK_FORK) $(TEST_RUNNER) $$t; done

## unit-tests-asan: the same suites under clang ASan+UBSan+LSan
unit-tests-asan:
	$(MAKE) BUILD=build-asan CC=clang CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	    unit-tests

## unit-tests-nowide: the suites built without the AVX-512 path (-DPQF_NO_WIDE), as on
## other platforms or CPUs
unit-tests-nowide:
	$(MAKE) BUILD=build-nowide CFLAGS="$(OPT) -g -DPQF_NO_WIDE" unit-tests

## unit-tests-scalar: the suites built without SSE2 and without AVX-512 (-U__SSE2__
## -DPQF_NO_WIDE): the plain C branches that non-x86 platforms take
unit-tests-scalar:
	$(MAKE) BUILD=build-scalar CFLAGS="$(OPT) -g -U__SSE2__ -DPQF_NO_WIDE" unit-tests

# unit-tests-scalar replaces unit-tests-nowide in `make check`: it compiles the AVX-512 path
# out as well, and the SSE2 branches that nowide kept are the ones unit-tests already runs
# (test_model and test_hardening decode every input with the default path and again with
# PQF_PORTABLE).
CHECK_TARGETS += unit-tests unit-tests-asan unit-tests-scalar
