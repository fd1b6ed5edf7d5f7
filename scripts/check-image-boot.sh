#!/usr/bin/env bash
# The OS image for real (issue point 5): packaging/image/build-image builds it, QEMU boots it (software
# emulation), the screen is captured after boot, and the boot is checked: the attract screen, no login
# prompt, no other TTY, no automount. Run as root on Debian 12; 30-90 minutes (debootstrap, TCG boot).
#
#   scripts/check-image-boot.sh [--deb FILE] [--boot-timeout SECONDS] [--accel tcg|kvm] [--skip-build]
#                               [--as-shipped] [--cpu MODEL] [--screen 1080x1920] [--observe 300]
#
#  0. installs what it needs from Debian (debootstrap qemu-system-x86 ovmf dosfstools fdisk mtools...);
#  1. probes the host kernel: can a loop device show a GPT's partitions, can it mount vfat (the ESP);
#  2. builds the .deb with packaging/build-deb into build/imageboot/dist (or takes --deb FILE);
#  3. runs packaging/image/build-image for real, UNMODIFIED. Only where step 1 found a gap of this
#     host's kernel (not of the recipe), a shim stands in for one host command, and says so in the log:
#       - no GPT partition parser: `losetup --partscan` then finds no partitions; the shim runs the real
#         losetup and then `partx -a` (the partitions are declared to the kernel by hand);
#       - no vfat: the ESP cannot be mounted; the shim bind-mounts a staging directory on /boot/efi
#         instead (bootctl wants a mount point there), SYSTEMD_RELAX_ESP_CHECKS=1 lets bootctl and
#         kernel-install accept a file system that is not FAT, and after build-image the script copies
#         the staging tree into the FAT partition with mtools (no mount needed);
#  4. inspects the image offline (masked units, default target, ESP content...);
#  5. boots a copy of it (build/imageboot/boot.img; the built image stays pristine) with
#     qemu-system-x86_64, UEFI (OVMF) -> systemd-boot -> Debian kernel -> the kiosk unit, virtio-vga
#     (not -vga std: its bochs-drm driver has no PRIME import, which wlroots 0.15 requires: "Failed to
#     open any DRM device"), a USB controller, user network. Unless --as-shipped, boot.img gets one
#     test-only drop-in for pan-kiosk.service, for the VM's hardware only:
#       - WLR_RENDERER=pixman: this VM has no GPU (virtio-gpu without virgl); Mesa's software GL
#         (kms_swrast/llvmpipe) segfaults in cage at its first frame, with -cpu max and qemu64 alike.
#     (Earlier runs also needed ProtectHome=no: the unit's logind session put cage's Wayland socket
#     in /run/user, which ProtectHome=yes hides, and READY=1 never reached systemd from the session
#     scope. The shipped unit now takes its seat from seatd and its runtime directory from systemd.)
#     A screendump (PPM -> PNG) every 20 s until the attract screen shows or
#     --boot-timeout (default 1500 s) passes; then Ctrl+Alt+F2 (no other TTY may appear), a USB stick
#     plugged in (nothing may mount it), the ACPI power button (ignored), screenshots after each, then
#     a screenshot every 20 s for --observe seconds (default 300: past TimeoutStartSec and WatchdogSec,
#     the kiosk must not restart); the
#     display is portrait 1080x1920 like a terminal's (--screen; virtio-vga xres/yres); QEMU is then
#     stopped (no shell; journald of boot.img syncs every 5 s: a test-only journald drop-in);
#  6. reads the journal of that boot from the copy's disk (journalctl --directory): no getty/agetty,
#     no login prompt, the kiosk started, no usb-storage, no mount of the stick.
# Everything lands in build/imageboot/ (git-ignored): progress.txt says how far it got and why it
# stopped; screens/*.png are the screenshots. Exit 0 only when every check passed; 1 a check failed;
# 2 a step could not run (the reason is the last line of progress.txt).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${IMAGEBOOT_WORK:-$REPO/build/imageboot}
DEB=""
BOOT_TIMEOUT=1500
ACCEL=tcg
SKIP_BUILD=0
AS_SHIPPED=0
CPU=max
SIZE=1080x1920
OBSERVE=300
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) DEB=$(realpath "$2"); shift 2 ;;
        --boot-timeout) BOOT_TIMEOUT=$2; shift 2 ;;
        --accel) ACCEL=$2; shift 2 ;;
        --skip-build) SKIP_BUILD=1; shift ;;   # reuse build/imageboot/pan-kiosk.img
        --as-shipped) AS_SHIPPED=1; shift ;;   # no test drop-in on boot.img
        --cpu) CPU=$2; shift 2 ;;
        --screen) SIZE=$2; shift 2 ;;          # the VM's display mode, WIDTHxHEIGHT
        --observe) OBSERVE=$2; shift 2 ;;      # seconds the attract screen must stay
        -h|--help) sed -n '2,41p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "check-image-boot: unknown argument $1" >&2; exit 2 ;;
    esac
done

IMG=$WORK/pan-kiosk.img
BOOT=$WORK/boot.img
SCREENS=$WORK/screens
MNT=$WORK/mnt
SHIMS=$WORK/shims
MONITOR=$WORK/qemu-monitor.sock
PROGRESS=$WORK/progress.txt
PY=$REPO/.venv/bin/python
mkdir -p "$WORK" "$SCREENS"
: > "$PROGRESS"
FAILED=0

say() { printf '%s %s\n' "$(date +%T)" "$*" | tee -a "$PROGRESS"; }
stop_here() { say "STOPPED: $*"; exit 2; }
check() {  # check NAME CONDITION-STATUS DETAIL
    if [ "$2" -eq 0 ]; then say "check ok: $1${3:+ ($3)}"; else say "check FAILED: $1${3:+ ($3)}"; FAILED=1; fi
}

LOOP=""
QEMU_PID=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then kill "$QEMU_PID" || true; fi
    if mountpoint -q "$MNT"; then umount "$MNT" || true; fi
    if [ -n "$LOOP" ] && [ -b "$LOOP" ]; then losetup -d "$LOOP" || true; fi
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || stop_here "run as root: build-image needs loop devices, mounts and chroot"

# --- 0. packages -----------------------------------------------------------------------------------
need=(debootstrap qemu-system-x86 qemu-utils ovmf dosfstools fdisk mtools e2fsprogs util-linux netpbm)
missing=()
for p in "${need[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "step 0: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
        > "$WORK/apt.log" 2>&1 || stop_here "step 0: apt-get install ${missing[*]} failed (see apt.log)"
fi
say "step 0: ok (tools present)"

# --- 1. host probe ---------------------------------------------------------------------------------
GPT_PARSER=yes
probe=$WORK/probe.img
rm -f "$probe"; truncate -s 64M "$probe"
printf 'label: gpt\nsize=16MiB, type=uefi\ntype=linux\n' | sfdisk -q "$probe"
LOOP=$(losetup --find --show --partscan "$probe") || stop_here "step 1: no loop device (losetup failed)"
sleep 1
[ -b "${LOOP}p1" ] || GPT_PARSER=no
losetup -d "$LOOP"; LOOP=""; rm -f "$probe"
VFAT=yes
grep -qw vfat /proc/filesystems || VFAT=no
KCONFIG=""
[ -r /proc/config.gz ] && KCONFIG=$(zcat /proc/config.gz | grep -E '^(# )?CONFIG_(EFI_PARTITION|VFAT_FS)[ =]' | tr '\n' ' ')
say "step 1: host kernel $(uname -r): GPT partitions on loop devices: $GPT_PARSER; vfat mount: $VFAT; ${KCONFIG:-no /proc/config.gz}"

# --- 2. the package --------------------------------------------------------------------------------
if [ "$SKIP_BUILD" -eq 0 ] && [ -z "$DEB" ]; then
    say "step 2: packaging/build-deb --output $WORK/dist (log: build-deb.log)"
    rm -rf "$WORK/dist"
    "$REPO/packaging/build-deb" --output "$WORK/dist" --work "$WORK/deb-work" > "$WORK/build-deb.log" 2>&1 \
        || stop_here "step 2: packaging/build-deb failed: $(tail -n 3 "$WORK/build-deb.log" | tr '\n' ' ')"
    DEB=$(find "$WORK/dist" -name "pan-kiosk_*.deb" | head -n 1)
fi
[ "$SKIP_BUILD" -eq 1 ] || say "step 2: ok: $DEB ($(du -h "$DEB" | cut -f1))"

# --- 3. build-image --------------------------------------------------------------------------------
if [ "$SKIP_BUILD" -eq 0 ]; then
    rm -rf "$SHIMS"; mkdir -p "$SHIMS"
    SHIMMED=()
    if [ "$GPT_PARSER" = no ]; then
        cat > "$SHIMS/losetup" <<'EOF'
#!/bin/bash
# check-image-boot.sh host shim: this kernel has no GPT partition parser (CONFIG_EFI_PARTITION off), so
# `losetup --partscan` shows no partitions. Run the real losetup, then declare them with partx -a.
out=$(/usr/sbin/losetup "$@") || exit $?
[ -z "$out" ] || printf '%s\n' "$out"
case " $* " in
    *" --partscan "*|*" -P "*)
        if [ -b "$out" ] && [ ! -b "${out}p1" ]; then
            partx -a "$out" && echo "host shim: partx -a $out (no GPT parser in this kernel)" >&2
        fi ;;
esac
EOF
        SHIMMED+=("losetup (+ partx -a)")
    fi
    if [ "$VFAT" = no ]; then
        cat > "$SHIMS/mount" <<EOF
#!/bin/bash
# check-image-boot.sh host shim: this kernel cannot mount vfat (CONFIG_VFAT_FS off). A staging directory
# is bind-mounted on the ESP's mount point instead; check-image-boot.sh copies it into the FAT partition
# with mtools after the build. Every other mount is the real one.
if [ \$# -eq 2 ] && [[ "\$2" == */boot/efi ]] && [ "\$(blkid -s TYPE -o value "\$1" 2>/dev/null)" = vfat ]; then
    echo "host shim: \$1 NOT mounted on \$2 (no vfat in this kernel): $WORK/esp-staging bind-mounted instead, copied with mtools after the build" >&2
    echo "\$1" > "$WORK/esp-not-mounted"
    exec /usr/bin/mount --bind "$WORK/esp-staging" "\$2"
fi
exec /usr/bin/mount "\$@"
EOF
        SHIMMED+=("mount of the ESP (bind-mounted staging dir, mtools afterwards, SYSTEMD_RELAX_ESP_CHECKS=1)")
        rm -rf "$WORK/esp-staging"; mkdir -p "$WORK/esp-staging"
        export SYSTEMD_RELAX_ESP_CHECKS=1
    fi
    chmod 755 "$SHIMS"/* 2>/dev/null || true
    rm -f "$WORK/esp-not-mounted" "$WORK/esp-filled" "$IMG"
    say "step 3: packaging/image/build-image --deb $DEB --output $IMG (log: build-image.log); host shims: ${SHIMMED[*]:-none}"
    start=$SECONDS
    set +e
    PATH="$SHIMS:$PATH" "$REPO/packaging/image/build-image" --deb "$DEB" --output "$IMG" > "$WORK/build-image.log" 2>&1
    status=$?
    set -e
    reached=$(grep -E '^== [0-9]\.' "$WORK/build-image.log" | tail -n 1 || true)
    if [ "$status" -ne 0 ]; then
        stop_here "step 3: build-image exited $status after $((SECONDS - start)) s, last step: ${reached:-none}; last lines: $(tail -n 4 "$WORK/build-image.log" | tr '\n' ' ')"
    fi
    say "step 3: ok: build-image finished in $((SECONDS - start)) s ($reached)"

fi
[ -f "$IMG" ] || stop_here "step 3: no image at $IMG"
# mtools reads the FAT partition inside the image file (file@@offset); it cannot write there (mtools
# 4.0.32: "Internal error, size too big"), so the ESP is copied out, filled and written back with dd
read -r ESP_START ESP_SECTORS < <(partx -g -o START,SECTORS -n 1 "$IMG")
ESP="$IMG@@$((ESP_START * 512))"
if [ -f "$WORK/esp-not-mounted" ] && [ ! -f "$WORK/esp-filled" ]; then
    ( cd "$WORK/esp-staging" && find . -type f | sort ) > "$WORK/esp-files.txt"
    [ -s "$WORK/esp-files.txt" ] || stop_here "step 3: the ESP staging tree is empty: bootctl/kernel-install wrote nothing"
    dd if="$IMG" of="$WORK/esp.fat" bs=512 skip="$ESP_START" count="$ESP_SECTORS" status=none
    export MTOOLS_SKIP_CHECK=1
    for old in $(mdir -b -i "$WORK/esp.fat" ::/ 2>/dev/null | sed "s|^::/||"); do
        mdeltree -i "$WORK/esp.fat" "::/$old" 2>/dev/null || mdel -i "$WORK/esp.fat" "::/$old" 2>/dev/null || true
    done
    for entry in "$WORK"/esp-staging/*; do
        mcopy -s -i "$WORK/esp.fat" "$entry" ::/ || stop_here "step 3: mcopy of $entry into the ESP failed"
    done
    while read -r file; do
        if ! mcopy -n -i "$WORK/esp.fat" "::/${file#./}" "$WORK/esp-check" \
                || ! cmp -s "$WORK/esp-check" "$WORK/esp-staging/$file"; then
            stop_here "step 3: $file differs in the ESP after mcopy"
        fi
    done < "$WORK/esp-files.txt"
    rm -f "$WORK/esp-check"
    dd if="$WORK/esp.fat" of="$IMG" bs=512 seek="$ESP_START" conv=notrunc status=none
    rm -f "$WORK/esp.fat"
    mdir -/ -b -i "$ESP" ::/ > "$WORK/esp-mdir.txt"
    touch "$WORK/esp-filled"
    say "step 3: ESP filled with mtools and checked: $(wc -l < "$WORK/esp-files.txt") files (esp-files.txt, esp-mdir.txt)"
fi

# --- 4. offline inspection -------------------------------------------------------------------------
LOOP=$(losetup --find --show --partscan --read-only "$IMG")
[ -b "${LOOP}p1" ] || partx -a "$LOOP"
mkdir -p "$MNT"; mount -o ro "${LOOP}p2" "$MNT"
{
    echo "default target: $(readlink "$MNT/etc/systemd/system/default.target")"
    for u in getty@.service autovt@.service serial-getty@.service console-getty.service udisks2.service \
             ctrl-alt-del.target debug-shell.service saned.socket; do
        echo "$u -> $(readlink "$MNT/etc/systemd/system/$u" || echo 'not masked')"
    done
    echo "enabled for graphical.target: $(find "$MNT/etc/systemd/system/graphical.target.wants/" -mindepth 1 -printf "%f\n" 2>/dev/null | tr '\n' ' ')"
    echo "udisks2 installed: $([ -e "$MNT/usr/libexec/udisks2/udisksd" ] && echo yes || echo no)"
    echo "persistent journal dir: $([ -d "$MNT/var/log/journal" ] && echo yes || echo no)"
    echo "kernel command line: $(cat "$MNT/etc/kernel/cmdline")"
    echo "network: $(cat "$MNT"/etc/network/interfaces.d/* | tr '\n' ' ')"
    echo "pan-kiosk user: $(grep '^pan-kiosk:' "$MNT/etc/passwd" || echo missing)"
    echo "ESP:"; MTOOLS_SKIP_CHECK=1 mdir -/ -b -i "$ESP" ::/ 2>&1 | sed 's/^/  /'
} > "$WORK/image-inspect.txt" 2>&1
HAS_JOURNAL_DIR=$([ -d "$MNT/var/log/journal" ] && echo yes || echo no)
PO_COUNT=$(find "$MNT/opt/pan-kiosk" -name '*.po' | wc -l)
MO_COUNT=$(find "$MNT/opt/pan-kiosk" -name '*.mo' | wc -l)
umount "$MNT"; losetup -d "$LOOP"; LOOP=""
say "step 4: ok: image inspected (image-inspect.txt)"
# a package built without babel shipped .po files only: every visitor read English (seen on this boot)
check "every translation catalog of the kiosk is compiled in the image" "$([ "$PO_COUNT" -ge 26 ] && [ "$PO_COUNT" -eq "$MO_COUNT" ]; echo $?)" "$PO_COUNT .po, $MO_COUNT .mo"
entries=$(MTOOLS_SKIP_CHECK=1 mdir -/ -b -i "$ESP" ::/loader/entries/ 2>/dev/null | grep -c '\.conf$' || true)
default=$(MTOOLS_SKIP_CHECK=1 mtype -i "$ESP" ::/loader/loader.conf 2>/dev/null | grep -E '^default ' || true)
entry_text=$(MTOOLS_SKIP_CHECK=1 mtype -i "$ESP" ::/loader/entries/debian-*.conf 2>/dev/null || true)
check "one boot entry, named by the OS id (and the default if loader.conf names one)" "$([ "$entries" -eq 1 ] && { [ -z "$default" ] || [ "$default" = "default debian-*" ]; } && [ -n "$entry_text" ]; echo $?)" "$entries entr(y/ies), loader.conf: ${default:-no default line}"
check "the boot entry has the image's command line only (no build host's, no machine ID)" "$(grep -q -E '^options +root=UUID=' <<< "$entry_text" && ! grep -q -E 'machine_id|machine-id|firecracker|console=ttyS0' <<< "$entry_text"; echo $?)" "$(grep '^options' <<< "$entry_text" | tr -s ' ' | cut -c1-160)"

# --- 5. boot under QEMU ----------------------------------------------------------------------------
say "step 5: copying the image to boot.img (sparse) and booting it: qemu -accel $ACCEL -cpu $CPU, OVMF"
cp --sparse=always "$IMG" "$BOOT"
LOOP=$(losetup --find --show --partscan "$BOOT"); [ -b "${LOOP}p1" ] || partx -a "$LOOP"
mount "${LOOP}p2" "$MNT"
if [ "$HAS_JOURNAL_DIR" = no ]; then
    # observation aid, on the copy only: journald keeps the boot's journal on disk so that step 6 can read it
    mkdir -p "$MNT/var/log/journal"
    say "step 5: boot.img: /var/log/journal created (the image has none: its journal is volatile)"
fi
# observation aid, on the copy only: the guest is stopped, not shut down (no shell, power key ignored),
# so journald writes to disk every 5 s instead of every 5 min
mkdir -p "$MNT/etc/systemd/journald.conf.d"
printf '# check-image-boot.sh, boot.img only\n[Journal]\nSyncIntervalSec=5s\n' \
    > "$MNT/etc/systemd/journald.conf.d/zz-check-image-boot.conf"
if [ "$AS_SHIPPED" -eq 0 ]; then
    mkdir -p "$MNT/etc/systemd/system/pan-kiosk.service.d"
    cat > "$MNT/etc/systemd/system/pan-kiosk.service.d/zz-check-image-boot.conf" <<'EOF'
# check-image-boot.sh, on build/imageboot/boot.img only (the built image is as the recipe made it).
# This VM has no GPU (virtio-gpu without virgl): Mesa's kms_swrast/llvmpipe segfaults in cage, so
# cage composes with pixman (the kiosk is a Qt raster client: shared-memory buffers either way).
[Service]
Environment=WLR_RENDERER=pixman
EOF
    say "step 5: boot.img: test drop-in pan-kiosk.service.d/zz-check-image-boot.conf (WLR_RENDERER=pixman: no GPU in this VM); --as-shipped boots without it"
fi
umount "$MNT"; losetup -d "$LOOP"; LOOP=""
truncate -s 64M "$WORK/usbstick.img"
printf 'label: dos\ntype=c\n' | sfdisk -q "$WORK/usbstick.img"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$WORK/ovmf-vars.fd"
rm -f "$MONITOR" "$WORK/serial.log" "$WORK/screens.txt" "$WORK/monitor.log" "$SCREENS"/*.png "$SCREENS"/*.ppm
qemu-system-x86_64 -machine q35 -accel "$ACCEL" -cpu "$CPU" -smp 2 -m 3072 \
    -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,unit=1,file="$WORK/ovmf-vars.fd" \
    -drive file="$BOOT",format=raw,if=virtio \
    -vga none -device virtio-vga,xres="${SIZE%x*}",yres="${SIZE#*x}" -display none -device qemu-xhci,id=xhci \
    -netdev user,id=net0 -device virtio-net-pci,netdev=net0 \
    -monitor unix:"$MONITOR",server,nowait -serial file:"$WORK/serial.log" \
    > "$WORK/qemu.log" 2>&1 &
QEMU_PID=$!
for _ in $(seq 50); do [ -S "$MONITOR" ] && break; sleep 0.2; done
[ -S "$MONITOR" ] || stop_here "step 5: QEMU did not start: $(tr '\n' ' ' < "$WORK/qemu.log")"

monitor() {  # send one monitor command
    "$PY" - "$MONITOR" "$1" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
time.sleep(0.2); s.recv(65536)
s.sendall((sys.argv[2] + "\n").encode()); time.sleep(1.0)
try:
    print(s.recv(65536).decode(errors="replace").split("\n", 1)[-1].strip())
except OSError:
    pass
EOF
}
screen() {  # screen NAME -> screens/NAME.png; prints the classification
    local ppm=$SCREENS/$1.ppm
    monitor "screendump $ppm" > /dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$ppm" ] && break; sleep 0.5; done
    [ -s "$ppm" ] || { echo "none (screendump wrote nothing)"; return 0; }
    "$PY" - "$ppm" "$SCREENS/$1.png" <<'EOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB"); im.save(sys.argv[2])
w, h = im.size
colors = im.getcolors(w * h)
colors.sort(reverse=True)
share = lambda rgb: sum(n for n, c in colors if c == rgb) / (w * h)
white, accent = share((255, 255, 255)), sum(n for n, c in colors if abs(c[0] - 11) + abs(c[1] - 79) + abs(c[2] - 156) < 30) / (w * h)
border = [im.getpixel((x, y)) for x in range(0, w, 7) for y in (0, h - 1)] + [im.getpixel((x, y)) for y in range(0, h, 7) for x in (0, w - 1)]
kind = ("attract" if white > 0.5 and accent > 0.005 and all(p == (255, 255, 255) for p in border)
        else "uniform" if len(colors) == 1 else "other")
print(f"{kind} {w}x{h} colours={len(colors)} white={white:.2f} accent={accent:.3f} top={colors[:3]}")
EOF
    rm -f "$ppm"
    return 0
}

start=$SECONDS
n=0
seen=""
while [ $((SECONDS - start)) -lt "$BOOT_TIMEOUT" ]; do
    kill -0 "$QEMU_PID" 2>/dev/null || stop_here "step 5: QEMU exited during boot after $((SECONDS - start)) s: $(tail -n 3 "$WORK/qemu.log" | tr '\n' ' ')"
    sleep 20
    n=$((n + 1))
    name=$(printf 'boot-%03d-%04ds' "$n" $((SECONDS - start)))
    result=$(screen "$name") || result="none (screendump failed)"
    echo "$name: $result" >> "$WORK/screens.txt"
    if [[ "$result" == attract* ]]; then seen=$name; break; fi
done
if [ -z "$seen" ]; then
    say "step 5: no attract screen within $BOOT_TIMEOUT s (last: $(tail -n 1 "$WORK/screens.txt"))"
    check "attract screen after boot" 1 "see screens/ and screens.txt"
else
    say "step 5: attract screen after $((SECONDS - start)) s: screens/$seen.png ($result)"
    check "attract screen after boot" 0 "screens/$seen.png"
    sleep 20
    result=$(screen after-boot-settled); echo "after-boot-settled: $result" >> "$WORK/screens.txt"
    check "still the attract screen 20 s later" "$([[ "$result" == attract* ]]; echo $?)" "$result"
    monitor "sendkey ctrl-alt-f2" > /dev/null; sleep 5
    result=$(screen after-ctrl-alt-f2); echo "after-ctrl-alt-f2: $result" >> "$WORK/screens.txt"
    check "Ctrl+Alt+F2 shows no other TTY" "$([[ "$result" == attract* ]]; echo $?)" "$result"
    monitor "drive_add 0 if=none,id=stick,format=raw,file=$WORK/usbstick.img" >> "$WORK/monitor.log"
    monitor "device_add usb-storage,bus=xhci.0,drive=stick,id=stickdev" >> "$WORK/monitor.log"
    sleep 15
    result=$(screen after-usb-stick); echo "after-usb-stick: $result" >> "$WORK/screens.txt"
    check "a USB stick changes nothing on screen" "$([[ "$result" == attract* ]]; echo $?)" "$result"
fi
if [ -n "$seen" ]; then
    # the image's logind ignores the power key (HandlePowerKey=ignore): a visitor cannot switch it off
    monitor "system_powerdown" > /dev/null
    sleep 30
    result=$(screen after-power-key) || result="none (screendump failed)"
    echo "after-power-key: $result" >> "$WORK/screens.txt"
    check "the power key does nothing (ACPI power button)" "$([[ "$result" == attract* ]]; echo $?)" "$result"
fi
if [ -n "$seen" ]; then
    # the kiosk must stay up: past the unit's TimeoutStartSec=120 (READY=1 must have arrived) and
    # WatchdogSec=60 (WATCHDOG=1 must keep arriving); a restart shows as a black or other screen
    say "step 5: watching the screen for $OBSERVE s (a screenshot every 20 s)"
    odd=""
    for i in $(seq $((OBSERVE / 20))); do
        sleep 20
        name=$(printf 'observe-%02d-%04ds' "$i" $((SECONDS - start)))
        result=$(screen "$name") || result="none (screendump failed)"
        echo "$name: $result" >> "$WORK/screens.txt"
        [[ "$result" == attract* ]] || odd="$odd $name"
    done
    check "the attract screen stayed for $OBSERVE s" "$([ -z "$odd" ]; echo $?)" "${odd:-every screenshot}"
fi
# no shell and no power key: QEMU is stopped; the journal reached the disk (SyncIntervalSec=5s drop-in)
sleep 10
say "step 5: stopping QEMU"
monitor "quit" > /dev/null || kill "$QEMU_PID" || true
wait "$QEMU_PID" 2>/dev/null || true
QEMU_PID=""

# --- 6. the boot's journal -------------------------------------------------------------------------
LOOP=$(losetup --find --show --partscan --read-only "$BOOT")
[ -b "${LOOP}p1" ] || partx -a "$LOOP"
mount -o ro,noload "${LOOP}p2" "$MNT"     # noload: the guest was stopped, not shut down
journalctl --directory="$MNT/var/log/journal" -b -o short-monotonic --no-pager > "$WORK/journal.txt" 2>&1 || true
journalctl --directory="$MNT/var/log/journal" -b -u pan-kiosk.service -o short-monotonic --no-pager > "$WORK/journal-kiosk.txt" 2>&1 || true
umount "$MNT"; losetup -d "$LOOP"; LOOP=""
lines=$(wc -l < "$WORK/journal.txt")
say "step 6: journal of the boot: $lines lines (journal.txt, journal-kiosk.txt)"
if [ "$lines" -lt 20 ]; then
    check "journal of the boot readable" 1 "$(head -n 3 "$WORK/journal.txt" | tr '\n' ' ')"
else
    getty=$(grep -E 'getty@|agetty|autovt@|login\[|serial-getty' "$WORK/journal.txt" | grep -v -E 'Mask|masked' || true)
    check "no getty, agetty or login on any TTY" "$([ -z "$getty" ]; echo $?)" "$(printf '%s' "$getty" | head -n 3 | tr '\n' ' ')"
    started=$(grep -c -E 'Started pan-kiosk.service|Started PAN Kiosk' "$WORK/journal.txt" || true)
    check "the kiosk unit reached 'started' (READY=1 received by systemd)" "$([ "$started" -ge 1 ]; echo $?)" "$started time(s)"
    failures=$(grep -E 'pan-kiosk.service: (start operation timed out|Watchdog timeout|Failed with result|Main process exited)' "$WORK/journal.txt" || true)
    check "the kiosk unit never failed (start timeout, watchdog, exit)" "$([ -z "$failures" ]; echo $?)" "$(printf '%s' "$failures" | head -n 3 | tr '\n' ' ')"
    usb=$(grep -E 'usb-storage|\buas\b|sd [0-9]+:|Attached SCSI|/dev/sd|udisks|Mounted /media|Mounted /run/media' "$WORK/journal.txt" || true)
    seen_usb=$(grep -c -E 'usb [0-9-]+: (new|New USB device)' "$WORK/journal.txt" || true)
    check "the USB stick was seen by the kernel" "$([ "$seen_usb" -ge 1 ]; echo $?)" "$seen_usb line(s)"
    check "no usb-storage driver, no disk, no mount for the stick" "$([ -z "$usb" ]; echo $?)" "$(printf '%s' "$usb" | head -n 3 | tr '\n' ' ')"
    cmdline=$(grep -m1 -E 'kernel: Command line:' "$WORK/journal.txt" || true)
    check "the boot entry carries no build-time machine ID (systemd.machine_id=)" "$([ -n "$cmdline" ] && ! grep -q 'systemd.machine_id=' <<< "$cmdline"; echo $?)" "${cmdline:-no command line in the journal}"
    lease=$(grep -E 'dhclient.*(bound to|DHCPACK)' "$WORK/journal.txt" | head -n 1 || true)
    check "the network came up on eth0 (DHCP lease)" "$([ -n "$lease" ]; echo $?)" "${lease:-no DHCP lease in the journal}"
    restarts=$(grep -c -E 'pan-kiosk.service: Scheduled restart' "$WORK/journal.txt" || true)
    say "info: pan-kiosk.service restarts during the boot: $restarts"
fi
say "done: $([ "$FAILED" -eq 0 ] && echo 'every check passed' || echo 'some checks FAILED')"
exit "$FAILED"
