#!/usr/bin/env python3
"""Writes the hand-made seeds of the script-driven fuzz targets (docs/fuzzing.md).

    python3 tests/fuzz/seeds.py [TARGET...]      # default: every target below

Each seed is a small program in the target's input language (see the comment at the top of
each fuzz_*.c); the seeds reach the interesting states quickly (whole downloads, resumes,
cuts, valid clusters...) and libFuzzer mutates from there. Seeds found by campaigns are merged
next to these (named by their SHA-1); this script only rewrites its own files (seed_*).
"""
import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(ROOT, "corpus")


def u16(v):
    return struct.pack("<H", v & 0xFFFF)


def u32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed_" + name), "wb") as f:
        f.write(bytes(data))


# ---- sdfu (tests/sdfu/fuzz_sdfu.c) ----------------------------------------------------------
def sdfu_cfg(unit, page, fast_gap=False, window=None, no_dl_limit=False):
    g = {4: 0, 8: 1, 16: 2}[unit] | {256: 0, 1024: 1, 4096: 2, 512: 3}[page] << 2
    g |= 0x20 if fast_gap else 0
    g |= 0x40 if no_dl_limit else 0
    out = b""
    if window is not None:
        g |= 0x10
        out = u16(window[0]) + u16(window[1])
    return bytes([g]) + out


def sdfu_raw(data, dt=0):
    if len(data) > 255:
        return bytes([0x08]) + bytes([dt]) + u16(len(data)) + data
    return bytes([0x00, dt, len(data)]) + data


def sdfu_words(*w):
    return b"".join(u32(x) for x in w)


def sdfu_crc16(data):
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def sdfu_cluster(method, addr, payload, bad=False):
    s = sdfu_crc16(payload) if method == 2 else sum(payload) & 0xFFFFFFFF
    return sdfu_words(0x11 << 16 | method, addr, len(payload), s ^ (1 if bad else 0)) + payload


def sdfu_gen_cluster(length, unit_index, seed, crc=False, bad=False, misalign=False, sparse=False):
    op = 3 | (0x10 if crc else 0) | (0x20 if bad else 0) | (0x40 if misalign else 0)
    op |= 0x80 if sparse else 0
    return bytes([op]) + u16(length) + u16(unit_index) + u32(seed)


def sdfu_seeds():
    idle = bytes([0x06, 0])
    slot1 = 0x01004000
    # the reference host's session: version, device id, erase, blank check, clusters, reset
    s = sdfu_cfg(16, 4096)
    s += sdfu_raw(sdfu_words(0x07 << 16)) + idle
    s += sdfu_raw(sdfu_words(0x0A << 16)) + idle
    s += sdfu_raw(sdfu_words(0x05 << 16 | 2, slot1)) + idle
    s += sdfu_raw(sdfu_words(0x06 << 16, slot1, 8192)) + idle
    payload = bytes((i * 7 + 3) & 0xFF for i in range(300))
    s += sdfu_raw(sdfu_cluster(1, slot1, payload))
    s += sdfu_raw(sdfu_cluster(2, slot1 + 512, payload[:100]))
    s += sdfu_raw(sdfu_words(0x12 << 16)) + idle
    write("sdfu", "host_session", s)
    # generated clusters (correct, wrong checksum, misaligned, sparse), erases, blank checks
    s = sdfu_cfg(8, 1024)
    s += sdfu_gen_cluster(4096, 0, 1) + sdfu_gen_cluster(37, 600, 2, crc=True)
    s += sdfu_gen_cluster(64, 700, 3, bad=True) + sdfu_gen_cluster(64, 701, 4, misalign=True)
    s += sdfu_gen_cluster(1000, 900, 5, sparse=True)
    s += bytes([0x04, 3, 0]) + bytes([0x05]) + u16(0x4000) + u16(4096)
    s += sdfu_gen_cluster(4096, 0, 6)
    write("sdfu", "generated", s)
    # a frame split by a stall shorter than the gap, another ended by the gap, unknown commands
    s = sdfu_cfg(4, 256, fast_gap=True)
    c = sdfu_cluster(1, slot1 + 64, bytes(range(200)))
    s += sdfu_raw(c[:50]) + sdfu_raw(c[50:], dt=1)
    s += sdfu_raw(sdfu_words(0x04 << 16, 0, 0, 0)) + sdfu_raw(b"\x01\x02", dt=5)
    s += sdfu_raw(sdfu_words(0x33 << 16 | 0x55)) + idle
    write("sdfu", "gaps_and_noise", s)
    # an integrator's window, not page aligned, and a full 4112-byte frame of noise
    s = sdfu_cfg(16, 512, window=(0x1010, 0x2000), no_dl_limit=True)
    s += sdfu_gen_cluster(512, 3, 7) + sdfu_raw(bytes([0x5A]) * 4112)
    s += bytes([0x04 | 0x10, 4, 8])
    write("sdfu", "custom_window", s)
    # flash faults: an I/O error in a cluster, unreadable bytes under a blank check
    s = sdfu_cfg(16, 4096)
    s += bytes([0x07, 3]) + u16(0x4000) + sdfu_gen_cluster(256, 16, 8)
    s += bytes([0x0F, 200]) + u16(0x4010) + bytes([0x05]) + u16(0x4000) + u16(64)
    write("sdfu", "faults", s)


# ---- dfu_log (tests/dfu/fuzz_dfu_log.c) -----------------------------------------------------
def dfu_cfg(unit=16, page=512, resume_pages=4, staging=False, sizes=(3008, 2048, 1504, 512)):
    g = {16: 0, 8: 1, 4: 2}[unit] | {512: 0, 256: 1, 1024: 2}[page] << 2
    g |= (resume_pages - 4) << 4 | (0x80 if staging else 0)
    out = bytes([g])
    for i, size in enumerate(sizes):
        out += u16(size // 16 - 1) + bytes([i * 2 + 1])
    return out


def dfu_start(i, no_id=False, no_resume=False):
    return bytes([0 | i << 4 | (0x40 if no_id else 0) | (0x80 if no_resume else 0)])


def dfu_write(n):
    return bytes([1]) + u16(n)


CKPT, FINISH, ABORT = b"\x03", b"\x04", b"\x05"


def dfu_idle(steps):
    return bytes([7, steps])


def dfu_cut(n, torn=False, seed=1):
    return bytes([9 | (0x10 if torn else 0), n - 1]) + u32(seed)


def dfu_reboot(*tampers):
    return bytes([10 | len(tampers) << 4]) + b"".join(tampers)


def dfu_tamper_copy(bad_seq_index, kind=None, at=0, which=0):
    t = 0 | bad_seq_index << 3
    if kind is not None:
        t |= 0x20 | (kind - 1) << 6
    return bytes([t, at]) + u32(which)


def dfu_tamper_foreign(near_max=False, kind=1, seq=0, at=0, seed=7):
    t = 1 | (kind - 1) << 3 | (0x20 if near_max else 0)
    return bytes([t, at]) + u32(seed) + (b"" if near_max else u32(seq))


def dfu_tamper(case, at=0, seed=9):
    return bytes([case, at]) + u32(seed)


def dfu_seeds():
    # a whole download in 200-byte writes, a checkpoint every 512 bytes, then the clean-up
    s = dfu_cfg() + dfu_start(0)
    for off in range(0, 3008, 200):
        s += dfu_write(min(200, 3008 - off))
        if (off + 200) % 512 < 200:
            s += CKPT
    s += FINISH + b"\x0e\x00\x00" + dfu_idle(31)
    write("dfu_log", "whole_download", s)
    # cut (torn) after a checkpoint, reboot, resume, finish
    s = dfu_cfg(unit=8, page=256) + dfu_start(0) + dfu_write(1024) + CKPT + dfu_write(300)
    s += dfu_cut(3, torn=True) + dfu_write(300) + dfu_write(300) + dfu_reboot()
    s += dfu_start(0) + dfu_write(3008 - 1024) + FINISH
    write("dfu_log", "cut_and_resume", s)
    # issue 12: a genuine PROGRESS entry copied with sequence 0xFFFFFFFF; another image then
    # overwrites the slot; before the fix the stale record resumed over it
    s = dfu_cfg() + dfu_start(0) + dfu_write(1024) + CKPT + ABORT
    s += dfu_reboot(dfu_tamper_copy(1, at=3))
    s += dfu_start(1) + dfu_write(1024) + ABORT + dfu_start(0) + dfu_write(1984) + FINISH
    write("dfu_log", "seq_wrap_0xffffffff", s)
    # the same entry turned into a CLEAR at 0xFFFFFFFF (tests/dfu: the wrap unit test)
    s = dfu_cfg() + dfu_start(0) + dfu_write(1024) + CKPT + ABORT
    s += dfu_reboot(dfu_tamper_copy(1, kind=3, at=6)) + dfu_start(0) + dfu_write(1984) + FINISH
    s += dfu_start(0) + dfu_write(16)
    write("dfu_log", "seq_wrap_clear", s)
    # units programmed past the checkpoint: the page is relocated through the spare
    s = dfu_cfg() + dfu_start(0) + dfu_write(608) + CKPT + dfu_write(100) + dfu_reboot()
    s += dfu_start(0) + dfu_write(3008 - 608) + FINISH
    s += dfu_start(1) + dfu_write(700) + CKPT + dfu_cut(4) + dfu_write(500) + dfu_reboot()
    s += dfu_start(1) + dfu_cut(2) + dfu_write(100) + dfu_reboot() + dfu_start(1)
    s += dfu_write(2048 - 688) + FINISH
    write("dfu_log", "relocation", s)
    # a foreign entry at the end of the sequence space is newest: the log restarts at 1
    s = dfu_cfg(resume_pages=5) + dfu_start(2) + dfu_write(512) + CKPT + ABORT
    s += dfu_reboot(dfu_tamper_foreign(near_max=True, at=4)) + dfu_start(2)
    for _ in range(5):
        s += dfu_write(96) + CKPT
    s += dfu_cut(2, torn=True) + dfu_start(3) + dfu_reboot() + dfu_start(2)
    s += dfu_write(1504 - 480) + FINISH
    write("dfu_log", "log_restart", s)
    # found by this target: a foreign entry at the end of the sequence space forces the log
    # restart; a cut between its page erases brought a retired PROGRESS record of image 0
    # back (tests/dfu/test_dfu_log_restart.c)
    s = dfu_cfg() + dfu_start(0)
    for _ in range(12):
        s += dfu_write(16) + CKPT
    s += ABORT + dfu_start(1) + dfu_write(1024) + ABORT
    s += dfu_reboot(dfu_tamper_foreign(near_max=True, at=0))
    s += dfu_cut(2) + dfu_start(2) + dfu_write(16) + dfu_reboot() + dfu_start(0) + dfu_write(64)
    write("dfu_log", "log_restart_cut", s)
    # staging, erase ahead, torn entries and stray units while off, many small checkpoints
    s = dfu_cfg(unit=4, page=1024, resume_pages=6, staging=True) + dfu_start(0)
    for _ in range(20):
        s += dfu_write(64) + CKPT + b"\x06\x10"
    s += dfu_reboot(dfu_tamper(2, 1, 5), dfu_tamper(3, 0, 6), dfu_tamper(4, 0, 7))
    s += dfu_start(0) + dfu_write(3008 - 1280) + b"\x0e\x00\x00" + FINISH
    s += b"\x08" + dfu_idle(20) + b"\x0d" + dfu_start(3, no_id=True) + dfu_write(512) + FINISH
    write("dfu_log", "staging_tamper", s)
    # I/O errors: a failing erase, unreadable log bytes
    s = dfu_cfg() + b"\x0b\x00" + dfu_start(0) + dfu_write(600) + dfu_start(0) + dfu_write(512)
    s += CKPT + b"\x0c" + u16(0x1000) + bytes([200]) + dfu_start(0) + dfu_reboot() + dfu_start(0)
    write("dfu_log", "io_errors", s)


# ---- boot (tests/boot/fuzz_boot.c) ------------------------------------------------------------
# templates (1-based selectors): 1 v1 permanent, 2 v2 trial, 3 v3 signed-digest trial, 4 older
# v0.9, 5 SHA-256 only, 6 method none (trial), 7 another key, 8 largest (trial), 9 v2 permanent,
# 10 v2.1 signed-digest trial; 11 head erased, 12 byte flipped, 13 truncated (template in the
# high nibble), 14-15 random bytes; 0 blank.
def boot_cfg(unit=16, page=512, rp=4, auth=0, downgrade=False):
    g = {16: 0, 8: 1, 4: 2}[unit] | {512: 0, 256: 1, 1024: 2}[page] << 2
    return bytes([g | (rp - 4) << 4 | auth << 5 | (0x80 if downgrade else 0)])


def boot_boot(cut_byte=0, torn=False, seed=0):
    return bytes([0x00 | (0x10 if torn else 0), cut_byte, seed])


def boot_seeds():
    # factory image, then a trial update that is confirmed, then a permanent one
    s = boot_cfg() + bytes([1, 0]) + boot_boot(3)
    s += bytes([4, 2]) + boot_boot(7) + bytes([2]) + boot_boot(1)
    s += bytes([4, 9]) + boot_boot(11, torn=True, seed=5)
    write("boot", "update_cycle", s)
    # a trial never confirmed: reverted; a cut kept in the middle of a swap
    s = boot_cfg(unit=8, page=1024, rp=5) + bytes([1, 2]) + bytes([0x11, 20, 3])
    s += boot_boot(40) + boot_boot(9, torn=True, seed=9)
    write("boot", "swap_cut_revert", s)
    # refusals: older, other key, none/SHA under the default, the largest image on small pages
    s = boot_cfg(page=256) + bytes([9, 4]) + boot_boot(1) + bytes([4, 7]) + boot_boot(0)
    s += bytes([4, 6]) + boot_boot(0) + bytes([4, 5]) + boot_boot(0) + bytes([4, 8]) + boot_boot(5)
    write("boot", "refusals", s)
    # all methods allowed, downgrade allowed, damaged templates and random bytes
    s = boot_cfg(unit=4, auth=2, downgrade=True) + bytes([6, 5]) + boot_boot(2)
    s += bytes([4, 0x1C]) + u16(700) + bytes([3]) + boot_boot(0) + bytes([4, 0x2D]) + u16(900)
    s += boot_boot(0) + bytes([4, 14]) + u16(3000) + u32(77) + boot_boot(0)
    s += bytes([4, 0x3B]) + boot_boot(4)
    write("boot", "methods_damage", s)
    # forged status records and swap progress: a SWAPPING state with its header, a TRIAL
    s = boot_cfg() + bytes([2, 1]) + bytes([7, 0x43, 1]) + bytes([8, 0x0B, 3]) + u16(200)
    s += bytes([9, 0x00, 2]) + boot_boot(6)
    s += bytes([7, 5, 0]) + bytes([8, 0x03, 2]) + u16(100) + boot_boot(2)
    s += bytes([7, 6, 1]) + boot_boot(0) + bytes([3]) + boot_boot(0)
    write("boot", "forged_journal", s)
    # faults: an unreadable slot 1, an I/O error mid-install, no key provisioned
    s = boot_cfg() + bytes([1, 9]) + bytes([10]) + u16(0x1100) + bytes([8]) + boot_boot(0)
    s += bytes([11, 5]) + boot_boot(0) + boot_boot(30)
    write("boot", "faults", s)
    s = boot_cfg(auth=3) + bytes([1, 2]) + boot_boot(0)
    write("boot", "no_key", s)


# ---- memimg (tests/cli/fuzz_memimg.c): Intel HEX and ELF files -------------------------------
def ihex_rec(rtype, addr, payload):
    rec = bytes([len(payload), addr >> 8 & 0xFF, addr & 0xFF, rtype]) + payload
    return (":" + (rec + bytes([-sum(rec) & 0xFF])).hex().upper() + "\r\n").encode()


def ihex(blocks, seg=False):
    out = b""
    upper = None
    for addr, data in blocks:
        for i in range(0, len(data), 16):
            a = addr + i
            if a >> 16 != upper:
                upper = a >> 16
                out += ihex_rec(2, 0, struct.pack(">H", (upper << 12) & 0xFFFF)) if seg else \
                    ihex_rec(4, 0, struct.pack(">H", upper))
            out += ihex_rec(0, a & 0xFFFF, data[i:i + 16])
    return out + ihex_rec(5, 0, struct.pack(">I", 0x01000201)) + ihex_rec(1, 0, b"")


def elf(segments, phentsize=32):
    phnum = len(segments)
    out = bytearray(52 + phentsize * phnum)
    out[0:4] = b"\x7fELF"
    out[4], out[5], out[6] = 1, 1, 1
    struct.pack_into("<HHI", out, 16, 2, 40, 1)
    struct.pack_into("<III", out, 24, 0x01000201, 52, 0)
    struct.pack_into("<HHHHHH", out, 40, 52, phentsize, phnum, 40, 0, 0)
    data = bytearray()
    for i, (ptype, paddr, payload) in enumerate(segments):
        off = len(out) + len(data)
        struct.pack_into("<IIIIIIII", out, 52 + i * phentsize, ptype, off, paddr, paddr,
                         len(payload), len(payload), 5, 4)
        data += payload
    return bytes(out + data)


def memimg_seeds():
    fw = bytes((i * 13 + 1) & 0xFF for i in range(300))
    vec = struct.pack("<II", 0x20008000, 0x01000301)
    # window 0 (the signing default at 0x01000200), content detected
    write("memimg", "hex_app", b"\x00" + ihex([(0x01000000, bytes(512)), (0x01000200, vec + fw)]))
    write("memimg", "hex_segments", b"\x02" + ihex([(0x1000, fw), (0x0FF0, fw[:16])], seg=True))
    write("memimg", "hex_conflict", b"\x01" + ihex([(0x0100, fw[:32]), (0x0110, fw[40:56])]))
    write("memimg", "elf_app", b"\x00" + elf([(1, 0x01000200, vec + fw), (6, 0, b""),
                                               (1, 0x20000000, bytes(64))]))
    write("memimg", "elf_overlap", b"\x02" + elf([(1, 0x01000000, fw), (1, 0x01000100, fw)]))
    write("memimg", "elf_top", b"\x03" + elf([(1, 0xFFFFFF00, fw[:256]), (1, 0xFFFFF000, fw)],
                                             phentsize=40))


# ---- image_file (tests/cli/fuzz_image_file.c): files made by the CLI ---------------------------
def image_file_seeds(bleota=None):
    import subprocess
    import tempfile
    bleota = bleota or os.environ.get("BLEOTA", "build/host/bin/bleota")
    key = os.path.join(ROOT, "corpus", "pubkey_text", "sec1.pem")
    aes = ["--aes-key", "000102030405060708090a0b0c0d0e0f",
           "--aes-iv", "f0e0d0c0b0a090807060504030201000"]
    with tempfile.TemporaryDirectory() as tmp:
        fw = os.path.join(tmp, "fw.bin")
        with open(fw, "wb") as f:
            f.write(bytes((i * 29 + 7) & 0xFF for i in range(96)))

        def run(*args):
            subprocess.run([bleota, *args], check=True, stdout=subprocess.DEVNULL)

        def made(name):
            with open(os.path.join(tmp, name), "rb") as f:
                return f.read()

        signs = {"trial": [], "permanent_2of2": ["--permanent", "--fw-auth", "ecdsa"],
                 "sha256": ["--auth", "sha256"], "none": ["--auth", "none"]}
        for name, extra in signs.items():
            run("image", "sign", "--key", key, "--version", "1.2.3.4", "--no-vector-check",
                *extra, fw, "-o", os.path.join(tmp, name + ".bin"))
        run("image", "ota", os.path.join(tmp, "trial.bin"), "-o", os.path.join(tmp, "p.ota"))
        run("image", "ota", *aes, os.path.join(tmp, "trial.bin"), "-o", os.path.join(tmp, "e.ota"))
        # option byte: 1 json, 2 AES key, 4 pubkey, 8 allow-unsigned, 16 dev keys, 64 verify
        write("image_file", "signed_verify", bytes([0x44]) + made("trial.bin"))
        write("image_file", "signed_inspect", bytes([0x01]) + made("permanent_2of2.bin"))
        write("image_file", "sha256_verify", bytes([0x4C]) + made("sha256.bin"))
        write("image_file", "none_inspect", bytes([0x01]) + made("none.bin"))
        write("image_file", "ota_plain_verify", bytes([0x44]) + made("p.ota"))
        write("image_file", "ota_encrypted_verify", bytes([0x46]) + made("e.ota"))
        write("image_file", "ota_encrypted_inspect", bytes([0x03]) + made("e.ota"))
        write("image_file", "ota_encrypted_devkeys", bytes([0x51]) + made("e.ota"))


# ---- otas_gatt (tests/otas/fuzz_otas_gatt.c) ---------------------------------------------------
OTAS_CORPUS = os.path.join(ROOT, "..", "otas", "corpus", "otas_gatt")


def otas_write(name, data):
    os.makedirs(OTAS_CORPUS, exist_ok=True)
    with open(os.path.join(OTAS_CORPUS, "seed_" + name), "wb") as f:
        f.write(bytes(data))


def otas_link(conn=0):
    c = conn << 6
    return bytes([0 | c, 2 | c, 1, 3 | c, 1, 0, 3 | 0x20 | c, 1, 0])


def otas_opt_in(conn=0, flags=3):
    return bytes([4 | conn << 6, 1 | 0x10, 3, 1, flags])


PROCESS = b"\x08"


def otas_cp(opcode_index, arg=1, conn=0):  # 0 Start, 1 Complete, 2 Reset
    return bytes([4 | conn << 6, 1, opcode_index, 1]) + (b"" if opcode_index else b"")


def otas_data(total, chunk=256):
    out = b""
    while total > 0:
        n = min(chunk, total)
        out += bytes([12, n // 16 - 1])
        total -= n
    return out


def otas_seeds():
    v2 = 9 * 1024  # the genuine image's size (tests/otas/fuzz_otas_gatt.c)
    head = bytes([0x05])  # resume offered, AES key provisioned, automatic window
    start = bytes([11]) + PROCESS + otas_cp(0) + PROCESS
    finish = otas_cp(1) + PROCESS + otas_cp(2) + PROCESS + bytes([7, 20]) + bytes([14 | 0x10])
    # a whole update, the header checked in the background, installed through the bootloader
    s = head + otas_link() + otas_opt_in() + PROCESS + start + otas_data(5120) + bytes([15, 3])
    s += otas_data(v2 - 5120) + PROCESS + finish
    otas_write("genuine_update", s)
    # link lost after the first checkpoint: reconnect, opt in, the same request resumes
    s = head + otas_link() + otas_opt_in() + PROCESS + start + otas_data(6144) + b"\x01" + PROCESS
    s += otas_link() + otas_opt_in() + PROCESS + start + otas_data(v2 - 4096) + PROCESS + finish
    otas_write("resume_after_disconnect", s)
    # a torn power cut mid-transfer, reboot, resume (encrypted: the cursor is the CBC state)
    s = head + otas_link() + otas_opt_in() + PROCESS + bytes([11 | 0x10]) + PROCESS + otas_cp(0)
    s += PROCESS + otas_data(4608) + bytes([13 | 0x20, 6, 1]) + otas_data(1024) + bytes([14])
    s += otas_link() + otas_opt_in() + PROCESS + bytes([11 | 0x10]) + PROCESS + otas_cp(0)
    s += PROCESS + otas_data(v2 + 16 - 4096) + PROCESS + finish
    otas_write("cut_reboot_resume_encrypted", s)
    # a damaged image: the background header check refuses it; then unreadable slot bytes
    s = head + otas_link() + otas_opt_in() + PROCESS + start
    s += bytes([12 | 0x20, 15, 12 | 0x20, 15, 12 | 0x20, 15]) + bytes([15, 2]) + PROCESS
    s += otas_cp(1) + PROCESS + bytes([13 | 0x10]) + u16(0x100) + bytes([64]) + start
    s += otas_data(2048) + PROCESS + bytes([15, 7])
    otas_write("damaged_and_read_errors", s)
    # a stock client (no opt-in), small window, Complete early, then the whole image again
    s = bytes([0x03 | 0x08]) + otas_link(1) + start.replace(b"\x04\x01", b"\x44\x01")
    s = bytes([0x09]) + otas_link(1)
    s += bytes([11 | 0x40]) + PROCESS + bytes([4 | 0x40, 1, 0, 1]) + PROCESS
    for _ in range(40):
        s += bytes([12 | 0x40, 1]) + PROCESS
    s += bytes([4 | 0x40, 1, 1, 1]) + PROCESS + bytes([7, 50]) + PROCESS
    otas_write("stock_client_small_window", s)
    # a delta patch from the factory image (request op 11 with flags 0x30), installed; then the
    # same patch again, now refused: the running image is no longer its base
    pstart = bytes([11 | 0x30]) + PROCESS + otas_cp(0) + PROCESS
    s = head + otas_link() + otas_opt_in() + PROCESS + pstart + otas_data(12288) + bytes([15, 3])
    s += PROCESS + finish + otas_link() + otas_opt_in() + PROCESS + pstart + otas_data(1024)
    s += PROCESS + bytes([15, 2])
    otas_write("delta_patch_then_refused", s)
    # a patch cut by a torn power cut after its first block, rebooted, resumed at the boundary
    s = head + otas_link() + otas_opt_in() + PROCESS + pstart + otas_data(4608)
    s += bytes([13 | 0x20, 6, 1]) + otas_data(1024) + bytes([14]) + otas_link() + otas_opt_in()
    s += PROCESS + pstart + otas_data(12288) + PROCESS + finish
    otas_write("delta_patch_cut_reboot_resume", s)


def delta_seeds():
    """fuzz_delta.c: recipes (odd mode byte) whose encoder patches the target flips, and raw
    patch bodies."""
    def recipe(seed, edits, flips=()):
        s = bytes([1, seed, len(edits)])
        for at, n, v in edits:
            s += u16(at) + bytes([n, v])
        s += bytes([len(flips)])
        for at, x in flips:
            s += u16(at) + bytes([x])
        return s
    write("delta", "identical", recipe(3, []))
    write("delta", "overwrite", recipe(5, [(100, 20, 0x41), (2000, 5, 0x07)]))
    write("delta", "insertions", recipe(7, [(10, 0x80 | 100, 0x13), (1500, 0x80 | 127, 0x99),
                                                 (2900, 0x80 | 60, 0x02)]))
    write("delta", "many_edits", recipe(9, [(i * 180, 0x80 | (i * 7 % 120), i) for i in range(15)]))
    write("delta", "flipped", recipe(11, [(300, 0x80 | 90, 0x55)], [(10, 0x40), (200, 0x01)]))
    write("delta", "flipped_header", recipe(13, [(700, 30, 0x10)], [(0, 0xFF), (3, 0x80)]))
    # raw: a block header announcing more payload than its block holds, then zeros
    write("delta", "raw_overlong", bytes([0]) + u16(999) + bytes([1]) + u16(5000) + u32(0) + bytes(40))
    write("delta", "raw_zeros", bytes([0]) + u16(4095) + bytes([3]) + bytes(200))


TARGETS = {"delta": delta_seeds, "sdfu": sdfu_seeds, "dfu_log": dfu_seeds, "boot": boot_seeds, "memimg": memimg_seeds,
           "image_file": image_file_seeds, "otas_gatt": otas_seeds}

if __name__ == "__main__":
    for t in sys.argv[1:] or TARGETS:
        TARGETS[t]()
