"""The allocator setting of a kiosk that runs all day: freed page images go back to the system.

glibc's malloc gives a block of 128 KiB or more its own mapping and unmaps it when it is freed, but each
time it frees such a block it raises that threshold to the block's size (up to 32 MiB). After the first
scan, page images (26 MB for a colour A4 page at 300 dpi, 9 MB in grey) and their intermediates come
from the heap and the worker threads' arenas instead, where freed memory stays with the process: the
main process went from 0.58 GB RSS after the first visit to 1.5 GB after fifteen (issue 8; the soak
benchmark, bench/soak_bench.py, sees 556 MB after the first visit and 963 MB after twenty). Pinning it
(`mallopt(M_MMAP_THRESHOLD, 128 KiB)`, which also stops the dynamic trim threshold) keeps every large
buffer in its own mapping, returned when freed.

The cost: each large buffer is mapped afresh, so a scan takes longer (a colour A4 page 104 -> 158 ms in
bench/scan_bench.py) and a page costs its peak again each time. A threshold pinned at 4 MiB instead
(page images still mapped, smaller buffers reused from the heap) was measured too: scans 25 % faster
than at 128 KiB, but 10 MB more after 20 visits and a faster growth (0.18 against 0.12 MB a visit).

`tune_allocator()` runs first in `kiosk.__main__.main`, so every way the kiosk starts gets it: the unit
(`pan-kiosk run`), the demo (`scripts/run-demo.sh`: `pan-kiosk demo`), `python -m kiosk` and every
admin command. Elsewhere than glibc (musl, macOS) it does nothing. The unit does not also set
`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072` for the process tree: over 30 visits it changed
nothing in QtWebEngine's processes (their memory does not carry over from one visitor to the next:
each visitor's renderer ends with the wipe), and pinned from the exec on, the main process held
13 MB more.

`PAN_KIOSK_MALLOC=default` leaves glibc's dynamic threshold as it is: for measurement only (the soak
benchmark's figures without the fix), never on a terminal.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Mapping

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3            # mallopt parameter, <malloc.h>
MMAP_THRESHOLD = 128 * 1024      # glibc's own default, pinned: no longer raised by each large free
SWITCH = "PAN_KIOSK_MALLOC"      # "default": glibc's dynamic threshold (measurement only)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]


def _glibc() -> ctypes.CDLL | None:
    """The C library of this process when it is glibc (the only one with these knobs), else None."""
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError, AttributeError):
        return None
    if not version or not version.startswith("glibc"):
        return None
    return ctypes.CDLL(None)


def tune_allocator(environ: Mapping[str, str] | None = None) -> bool:
    """Pin glibc's mmap threshold for this process; True when it is pinned. Call it before the first
    large allocation (freed blocks already kept on the heap stay there until reused)."""
    env = os.environ if environ is None else environ
    if env.get(SWITCH, "").strip().lower() == "default":
        log.info("allocator: glibc's dynamic mmap threshold kept (%s=default, measurement only)", SWITCH)
        return False
    libc = _glibc()
    if libc is None:
        return False
    pinned = bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not pinned:
        log.warning("allocator: mallopt(M_MMAP_THRESHOLD) refused; memory may grow over the day")
    return pinned


def large_blocks_mapped() -> bool | None:
    """Whether a large block freed and allocated again still gets its own mapping (the threshold is
    pinned), as observed through mallinfo2; None where that cannot be told (not glibc, glibc < 2.33).
    Meant for a fresh process (a test's subprocess): a free chunk of 8 MB already on the heap would be
    reused whatever the threshold. It allocates and frees 24 MB."""
    libc = _glibc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return None
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.free(libc.malloc(16 << 20))         # with the dynamic threshold, this raises it to 16 MiB
    before = libc.mallinfo2().hblkhd
    block = libc.malloc(8 << 20)
    mapped = libc.mallinfo2().hblkhd - before >= 8 << 20
    libc.free(block)
    return bool(mapped)
