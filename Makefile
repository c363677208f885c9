# bleota: the user's entry point. `make` builds the host tools into build/bin/.
# Every target that runs something calls `deps` first (installs missing Debian packages).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=

.PHONY: all deps tools host test unit demo cortex-m4 qemu-test size bench figures fuzz clean help
.PHONY: pic32cxbz2 fuzz-coverage

all: tools

help:
	@echo "make            build host tools into build/bin/ (bleota, bleota-device)"
	@echo "make test       the whole suite: host tests (ASan+UBSan), Cortex-M4 build, QEMU tests"
	@echo "make demo       signed, encrypted update over the simulated BLE link"
	@echo "make cortex-m4  build the portable core for Cortex-M4 and print its size"
	@echo "make qemu-test  bootloader + OTA demo on qemu-system-arm mps2-an386"
	@echo "make pic32cxbz2 PIC32CX-BZ2/WBZ451: bootloader (.elf/.hex/.bin), port, Harmony binding;"
	@echo "                 Microchip's headers from BO_HARMONY_DIR=... or ../shared/fixtures/harmony"
	@echo "make size       flash/RAM of the firmware images"
	@echo "make bench      Cortex-M4 instruction counts under QEMU (crypto, boot time: bench/qemu-report.md"
	@echo "                + .json), the OTA timing model (BZ2 flash): bench/report.md + .json, and"
	@echo "                delta patches vs bsdiff/xdelta3 with update times: bench/delta-report.md + .json"
	@echo "make figures    regenerate the reports (size, bench, power-loss counts) and rewrite the"
	@echo "                figures README.md and docs/ quote from them (docs/figures.md)"
	@echo "make fuzz       every fuzz target under libFuzzer for FUZZ_SECONDS each (default 180),"
	@echo "                one at a time, niced; writes fuzz/report.md (docs/fuzzing.md)"
	@echo "make fuzz-coverage  what otas_gatt's seeds reach: fuzz/coverage-otas_gatt.txt"
	@echo "make deps       install missing Debian packages"

deps:
	@sh scripts/deps.sh

tools: deps
	cmake --preset host-release >/dev/null
	cmake --build --preset host-release -j$(JOBS) --target bleota bleota-device

host: deps
	cmake --preset host >/dev/null
	cmake --build --preset host -j$(JOBS)

unit: host
	ctest --preset host -j$(JOBS) $(CTEST_ARGS)

test: deps
	sh scripts/test.sh

demo: tools
	bash scripts/demo.sh

cortex-m4: deps
	sh scripts/fetch-mbedtls.sh build/_deps
	sh scripts/fetch-bearssl.sh build/_deps
	cmake --preset cortex-m4 -DBO_MBEDTLS_SRC=$(CURDIR)/build/_deps/mbedtls \
		-DBO_BEARSSL_SRC=$(CURDIR)/build/_deps/bearssl >/dev/null
	cmake --build --preset cortex-m4 -j$(JOBS)
	cmake --build --preset cortex-m4 --target size-report

# The PIC32CX-BZ2 / WBZ451 port (docs/harmony.md): BO_HARMONY_DIR=<Harmony headers> optional.
pic32cxbz2: deps
	BO_HARMONY_DIR="$(BO_HARMONY_DIR)" sh ports/pic32cxbz2/tools/build.sh

qemu-test: cortex-m4
	sh tests/qemu/run.sh

size: cortex-m4
	cmake --build --preset cortex-m4 --target size

# The Cortex-M4 instruction counts first (bench/qemu-report.md, .json, bench/qemu-insns.txt:
# crypto and boot time, checked against their targets), then the BLE timing model that uses them,
# then delta patches (sizes against bsdiff and xdelta3, update times: bench/delta-report.md).
bench: tools cortex-m4
	bash bench/qemu/run.sh
	sh bench/run.sh
	bash bench/delta/run.sh

# The reports, then every marked figure of README.md and docs/*.md rewritten from them
# (docs/figures.md); ctest docs_figures_match_reports checks them in `make test`.
figures: size bench host
	ctest --preset host -j$(JOBS) -L figures $(CTEST_ARGS)
	python3 scripts/figures.py --update --report-dir build/host/reports --size-dir build/cortex-m4/reports

# libFuzzer campaign (clang): FUZZ_SECONDS per target, FUZZ_TARGETS to pick some (NAME or
# NAME=SECONDS), FUZZ_MERGE=1 to merge new coverage into the seed folders. docs/fuzzing.md.
FUZZ_SECONDS ?= 180
FUZZ_TARGETS ?=
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz.sh $(FUZZ_TARGETS)

# What otas_gatt's seed corpus reaches (checkpoints, resume, the header check, flash errors):
# fuzz/coverage-otas_gatt.txt, regenerated from the committed seeds (docs/fuzzing.md).
fuzz-coverage: deps
	echo "# otas_gatt seed corpus coverage (make fuzz-coverage; clang source-based, replay only)" \
	  > fuzz/coverage-otas_gatt.txt
	FUZZ_COV_FUNCS='checkpoint|resume|check_header|bo_dfu_blank|bo_dfu_finish|:flush|relocate|copy_back|bo_boot_authenticate |bo_dfu_log_append' \
	FUZZ_COV_SHOW='bo_dfu_checkpoint bo_dfu_resume_continue dfu.c:flush bo_dfu_blank ota.c:check_header' \
	sh scripts/fuzz-coverage.sh otas_gatt src/dfu src/ota/ota.c src/boot/boot_auth.c \
	  >> fuzz/coverage-otas_gatt.txt

clean:
	rm -rf build
