#!/usr/bin/env bash
# The package, installed for real (issue point 3). Run as root on Debian 12 when packaging/ changes;
# about 10 minutes with warm caches (lintian alone takes 5-8), 15-20 the first time (debootstrap).
#
#   scripts/check-package-install.sh [--deb FILE] [--refresh-root] [--no-lintian]
#
#  1. builds the .deb with packaging/build-deb into build/pkgcheck/dist (or takes --deb FILE);
#  2. makes a Debian 12 (bookworm) minbase root with debootstrap once, keeps it as a pristine tarball
#     (build/pkgcheck/bookworm-minbase.tar.gz; --refresh-root makes it again) and unpacks a fresh copy
#     in build/pkgcheck/root for every run;
#  3. in a chroot (/proc and /dev/pts mounted, policy-rc.d forbids starting services): installs the
#     package's Depends and Recommends from the mirror (as the image does), takes a snapshot of the
#     tree, installs the .deb with apt, runs `pan-kiosk --help`, `check-config` (as root and as the
#     pan-kiosk user, like the unit), `content status`, `doctor` (its scanner and printer checks
#     fail in a chroot: no device, no cupsd; any other failure fails this check) and imports every
#     Qt module the kiosk's code names; lists the venv's libraries that nothing provides (ldd);
#  4. `apt-get purge pan-kiosk`, then compares the tree with the snapshot: every path of `dpkg -L` and
#     every new or changed file (users, /etc/pan-kiosk, /var/lib/pan-kiosk, unit symlinks and
#     deb-systemd-helper state...) is listed. Only the pan-kiosk system user and group may stay
#     (Debian policy: its uid may own files elsewhere), with cupsd.conf's no-job-files settings (on
#     purpose) and libsnmp's state from running the device tools; anything else fails the check;
#  5. lintian on the .deb (overrides: packaging/debian/lintian-overrides), failing on an error or a
#     warning that is not overridden.
# Logs and snapshots stay in build/pkgcheck/ (ignored by git). Exit 0 only when every step passed.
#
# scripts/check-ansible.sh sources this file for the root handling (fresh_root, mount_root...).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${PKGCHECK_WORK:-$REPO/build/pkgcheck}
SUITE=bookworm
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
PRISTINE=$WORK/$SUITE-minbase.tar.gz
ROOT=$WORK/root

QT_IMPORTS='
import importlib, pathlib, re
import kiosk
names = set()
for source in pathlib.Path(kiosk.__file__).parent.rglob("*.py"):
    text = source.read_text(encoding="utf-8")
    names.update(re.findall(r"PySide6\.(Qt\w+)", text))
    for group in re.findall(r"from PySide6 import \(?([\w, \n]+)\)?", text):
        names.update(n.strip() for n in group.split(",") if n.strip().startswith("Qt"))
for name in sorted(names):
    importlib.import_module("PySide6." + name)
print("loaded:", " ".join(sorted(names)))
'

say() { printf '\n== %s\n' "$*"; }
die() { echo "check-package-install: $*" >&2; exit 2; }

host_tools() {  # host_tools PACKAGE...: apt-get install the Debian packages that are missing
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "host: apt-get install ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
}

in_root() {  # in_root CMD...: run in the chroot with a clean environment
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}

root_processes() {  # PIDs of processes running inside $ROOT (started by these checks)
    local proc
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOT" ] && echo "${proc#/proc/}"
    done
    return 0
}

umount_root() {
    local mnt pids
    pids=$(root_processes)
    if [ -n "$pids" ]; then
        echo "processes left in the root, ended:"
        # shellcheck disable=SC2086  # one PID per word
        ps -o pid=,args= -p $pids || true
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null || true
        sleep 1
    fi
    for mnt in "$ROOT/dev/pts" "$ROOT/proc" "$ROOT/sys"; do
        if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt" || umount -l "$mnt"; fi
    done
}

mount_root() {
    mount -t proc proc "$ROOT/proc"
    mkdir -p "$ROOT/dev/pts"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$ROOT/dev/pts"
}

pristine_root() {  # the cached minbase tarball; debootstrap only when it is missing or --refresh-root
    if [ -f "$PRISTINE" ] && [ "${REFRESH_ROOT:-0}" -eq 0 ]; then
        echo "pristine root: $PRISTINE (cached; --refresh-root to make it again)"
        return 0
    fi
    host_tools debootstrap
    local stage=$WORK/pristine
    rm -rf --one-file-system "$stage"
    say "debootstrap --variant=minbase $SUITE ($MIRROR)"
    debootstrap --variant=minbase "$SUITE" "$stage" "$MIRROR"
    # the terminals' sources: the release, its updates and security, like the image
    rm -f "$stage/etc/apt/sources.list"
    cat > "$stage/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -rf "${stage:?}"/var/cache/apt/archives/*.deb "${stage:?}"/var/lib/apt/lists/*
    tar -C "$stage" --numeric-owner -czf "$PRISTINE.tmp" .
    mv "$PRISTINE.tmp" "$PRISTINE"
    rm -rf --one-file-system "$stage"
    echo "pristine root: $PRISTINE ($(du -h "$PRISTINE" | cut -f1))"
}

fresh_root() {  # a clean copy of the pristine root in $ROOT, services forbidden, apt lists fresh
    umount_root
    rm -rf --one-file-system "$ROOT"
    mkdir -p "$ROOT"
    tar -C "$ROOT" --numeric-owner -xzf "$PRISTINE"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
    # invoke-rc.d and deb-systemd-invoke ask policy-rc.d: 101 = no service starts in this root
    printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
    chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
    mount_root
    in_root apt-get update -q
}

snapshot() {  # snapshot NAME: the tree's paths (type, mode, owner) and checksums of /etc files
    (cd "$ROOT" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run \
        -o -path ./tmp -o -path ./var/tmp -o -path ./var/log -o -path ./var/cache/apt \
        -o -path ./var/cache/debconf -o -path ./var/lib/apt -o -path ./var/lib/dpkg \) -prune \
        -o -printf '%P\t%y\t%#m\t%U:%G\n' | LC_ALL=C sort) > "$WORK/$1.tree"
    (cd "$ROOT" && find etc -xdev -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum) > "$WORK/$1.etc"
}

run_step() {  # run_step LABEL CMD...: run in the root, print the output, remember a failure
    local rc=0
    say "$1"
    shift
    in_root "$@" 2>&1 | tee -a "$WORK/commands.log" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "-> exit $rc"
        FAILED+=("$*: exit $rc")
    fi
    return 0
}

check_install() {
    local deb=$1
    FAILED=()
    : > "$WORK/commands.log"
    # Depends and Recommends (CUPS, SANE, espeak-ng, node exporter), as the image installs them
    say "Depends and Recommends of $(basename "$deb") from the mirror (snapshot taken after them)"
    in_root apt-get satisfy -y -q --no-install-recommends \
        "$(dpkg-deb -f "$deb" Depends), $(dpkg-deb -f "$deb" Recommends)" \
        > "$WORK/apt-depends.log" 2>&1 \
        || { tail -30 "$WORK/apt-depends.log"; die "installing the Depends failed"; }
    tail -1 "$WORK/apt-depends.log"
    snapshot before
    tar -C "$ROOT" -cf "$WORK/before-etc.tar" etc

    say "apt-get install ./$(basename "$deb")"
    cp "$deb" "$ROOT/tmp/pan-kiosk.deb"
    if ! in_root apt-get install -y -q --no-install-recommends /tmp/pan-kiosk.deb 2>&1 \
        | tee "$WORK/apt-install.log"; then
        die "apt-get install of the package failed (log: $WORK/apt-install.log)"
    fi
    # shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
    in_root dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' pan-kiosk
    in_root dpkg -L pan-kiosk > "$WORK/dpkg-L.txt"
    echo "dpkg -L: $(wc -l < "$WORK/dpkg-L.txt") paths ($WORK/dpkg-L.txt)"
    if in_root dpkg --verify pan-kiosk; then
        echo "dpkg --verify: no file differs from md5sums ($(dpkg-deb -I "$deb" md5sums 2>/dev/null \
            | wc -l) files listed)"
    else
        FAILED+=("dpkg --verify")
    fi

    mkdir -p "$ROOT/tmp/home"
    run_step "pan-kiosk --help" env HOME=/tmp/home pan-kiosk --help
    run_step "pan-kiosk check-config /etc/pan-kiosk/kiosk.toml (root)" \
        env HOME=/tmp/home pan-kiosk check-config /etc/pan-kiosk/kiosk.toml
    run_step "pan-kiosk check-config as pan-kiosk (as the unit's ExecStartPre)" \
        runuser -u pan-kiosk -- pan-kiosk check-config /etc/pan-kiosk/kiosk.toml
    run_step "pan-kiosk check-config /usr/share/doc/pan-kiosk/kiosk.toml.example" \
        env HOME=/tmp/home pan-kiosk check-config /usr/share/doc/pan-kiosk/kiosk.toml.example
    run_step "pan-kiosk content status (the shipped pack, seeded by postinst)" \
        runuser -u pan-kiosk -- pan-kiosk content status --config /etc/pan-kiosk/kiosk.toml
    say "pan-kiosk doctor --config /etc/pan-kiosk/kiosk.toml (0 ok, 1 warnings, 2 failures)"
    local rc=0
    in_root env HOME=/tmp/home pan-kiosk doctor --config /etc/pan-kiosk/kiosk.toml 2>&1 \
        | tee "$WORK/doctor.txt" || rc=$?
    cat "$WORK/doctor.txt" >> "$WORK/commands.log"
    echo "-> doctor exit $rc"
    # a chroot has no scanner, no running cupsd and no printer queue: those two checks fail here
    if grep -E '^FAIL' "$WORK/doctor.txt" | grep -Ev '^FAIL +(scanner|printer) ' > "$WORK/doctor-fail.txt"; then
        FAILED+=("pan-kiosk doctor: $(tr '\n' ';' < "$WORK/doctor-fail.txt")")
    elif [ "$rc" -ge 2 ]; then
        echo "(exit 2 from the scanner and printer checks only: no devices and no cupsd in a chroot)"
    fi
    # every PySide6 module the kiosk's code names: their libraries must come with the Depends
    run_step "the Qt modules the kiosk imports load with the package's Depends only" \
        env HOME=/tmp/home QT_QPA_PLATFORM=offscreen /opt/pan-kiosk/venv/bin/python -c "$QT_IMPORTS"
    say "shared libraries of the venv that the Depends do not bring (ldd 'not found')"
    in_root sh -c 'find /opt/pan-kiosk/venv -name "*.so*" -type f -exec ldd {} + 2>/dev/null' \
        | awk '/^\// {lib=$1} /not found/ {print lib, $1}' | sort -u > "$WORK/ldd-missing.txt" || true
    if [ -s "$WORK/ldd-missing.txt" ]; then
        echo "$(wc -l < "$WORK/ldd-missing.txt") unresolved (file: needed library), for Qt plugins and"
        echo "modules the kiosk does not load (see $WORK/ldd-missing.txt):"
        awk '{print $2}' "$WORK/ldd-missing.txt" | sort | uniq -c | sort -rn | head -20
    else
        echo "none"
    fi
    say "installed state"
    in_root sh -c 'id pan-kiosk; stat -c "%A %U:%G %n" /etc/pan-kiosk /etc/pan-kiosk/kiosk.toml \
        /etc/pan-kiosk/credentials /var/lib/pan-kiosk /var/lib/pan-kiosk/content \
        /var/lib/pan-kiosk/metrics; ls -l /etc/systemd/system/*.wants/ 2>/dev/null | grep pan-kiosk'
    rm -rf "$ROOT/tmp/home"
}

check_purge() {
    say "apt-get purge -y pan-kiosk"
    in_root apt-get purge -y -q pan-kiosk 2>&1 | tee "$WORK/apt-purge.log"
    snapshot after
    local leftovers=0
    say "purge: paths of dpkg -L that remain and were not there before the install"
    : > "$WORK/leftover-dpkg-L.txt"
    local path real
    while IFS= read -r path; do
        [ "$path" = "/." ] && continue
        if [ -e "$ROOT$path" ] || [ -L "$ROOT$path" ]; then
            # merged /usr: /lib/systemd/system is usr/lib/systemd/system in the snapshot
            real=$(in_root realpath -m "$(dirname "$path")")
            real=${real%/}/$(basename "$path")
            grep -q "^${real#/}	" "$WORK/before.tree" || echo "$path" >> "$WORK/leftover-dpkg-L.txt"
        fi
    done < "$WORK/dpkg-L.txt"
    if [ -s "$WORK/leftover-dpkg-L.txt" ]; then
        cat "$WORK/leftover-dpkg-L.txt"; leftovers=1
    else
        echo "none"
    fi
    say "purge: new or changed paths in the tree (after purge vs before install)"
    LC_ALL=C comm -13 "$WORK/before.tree" "$WORK/after.tree" > "$WORK/leftover-tree.txt"
    LC_ALL=C comm -23 "$WORK/before.tree" "$WORK/after.tree" > "$WORK/removed-tree.txt"
    # the account databases change with the system user that stays (shadow's backups appear);
    # libsnmp (loaded by the SANE and CUPS tools the doctor runs) makes its state on first use
    grep -Ev '^etc/(passwd|group|shadow|gshadow)-?	|^var/lib/snmp/' "$WORK/leftover-tree.txt" \
        > "$WORK/unexpected.txt" || true
    if [ -s "$WORK/unexpected.txt" ]; then cat "$WORK/unexpected.txt"; leftovers=1; else echo "none"; fi
    if grep '^var/lib/snmp/' "$WORK/leftover-tree.txt"; then
        echo "(var/lib/snmp: libsnmp's own state, made when the doctor ran scanimage and lpstat)"
    fi
    # dpkg removes an empty directory that only this package listed: /opt is made by base-files'
    # first configuration, and owned by no package (dpkg -S /opt), so the purge takes it away
    local expected='^etc/(passwd|group|shadow|gshadow)-?	'
    if ! in_root dpkg -S /opt > /dev/null 2>&1; then expected="$expected|^opt	d	"; fi
    grep -Ev "$expected" "$WORK/removed-tree.txt" > "$WORK/removed-unexpected.txt" || true
    if [ -s "$WORK/removed-tree.txt" ]; then
        echo "paths gone or changed that were there before the install:"; cat "$WORK/removed-tree.txt"
        if grep -q '^opt	' "$WORK/removed-tree.txt"; then
            echo "(/opt: owned by no package, so dpkg removes it with the last package that listed it)"
        fi
    fi
    if [ -s "$WORK/removed-unexpected.txt" ]; then leftovers=1; fi
    say "purge: /etc files whose content changed"
    diff "$WORK/before.etc" "$WORK/after.etc" | awk '/^>/ {print $3}' > "$WORK/etc-changed.txt" || true
    # cupsd.conf keeps the no-job-files settings of postinst on purpose: purging the kiosk must not
    # make CUPS start keeping visitors' documents again (README: Maintainer scripts)
    grep -Ev '^etc/(passwd|group|shadow|gshadow)-?$|^etc/cups/cupsd.conf$' "$WORK/etc-changed.txt" \
        > "$WORK/etc-unexpected.txt" || true
    if [ -s "$WORK/etc-unexpected.txt" ]; then
        cat "$WORK/etc-unexpected.txt"; leftovers=1
    else
        echo "none beyond the account databases and cupsd.conf"
    fi
    if grep -q '^etc/cups/cupsd.conf$' "$WORK/etc-changed.txt"; then
        echo "etc/cups/cupsd.conf (kept on purpose: CUPS keeps no job files or history):"
        tar -xOf "$WORK/before-etc.tar" etc/cups/cupsd.conf | diff - "$ROOT/etc/cups/cupsd.conf" || true
    fi
    say "purge: what stays on purpose (Debian policy: the system user is not removed)"
    grep -h 'pan-kiosk' "$ROOT/etc/passwd" "$ROOT/etc/group" || true
    say "purge: package state"
    in_root dpkg-query -W pan-kiosk 2>&1 || true
    ls "$ROOT"/var/lib/dpkg/info/pan-kiosk.* 2>/dev/null || echo "no pan-kiosk.* in /var/lib/dpkg/info"
    if [ "$leftovers" -ne 0 ]; then FAILED+=("purge leaves files (above)"); fi
}

check_lintian() {
    local deb=$1 rc=0
    host_tools lintian
    say "lintian $(basename "$deb") (overrides: packaging/debian/lintian-overrides)"
    # not --fail-on: with --show-overrides, lintian 2.116 counts overridden tags too (exit 2)
    lintian --info --display-level '>=pedantic' --show-overrides "$deb" > "$WORK/lintian.txt" 2>&1 \
        || rc=$?
    grep -Ev '^N:|root privileges is not recommended' "$WORK/lintian.txt" \
        | awk '{print $1, $3}' | sort | uniq -c | sort -k2,2 -k1,1rn
    echo "(full output: $WORK/lintian.txt; O: = overridden, each with its reason in the overrides)"
    if grep -E '^[EW]: ' "$WORK/lintian.txt"; then
        FAILED+=("lintian: errors or warnings that are not overridden (above)")
    elif [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
        FAILED+=("lintian did not run: exit $rc")
    fi
}

main() {
    local deb="" lintian=1
    REFRESH_ROOT=0
    while [ $# -gt 0 ]; do
        case "$1" in
            --deb) deb=$(realpath "$2"); shift 2 ;;
            --refresh-root) REFRESH_ROOT=1; shift ;;
            --no-lintian) lintian=0; shift ;;
            -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown argument $1" ;;
        esac
    done
    [ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mounts)"
    mkdir -p "$WORK"
    trap umount_root EXIT
    local started=$SECONDS
    if [ -z "$deb" ]; then
        say "packaging/build-deb"
        local py=python3
        [ -x "$REPO/.venv/bin/python" ] && py=$REPO/.venv/bin/python   # babel compiles the catalogs
        rm -f "$WORK"/dist/*.deb
        "$py" "$REPO/packaging/build-deb" --output "$WORK/dist" --work "$WORK/deb-work" \
            > "$WORK/build-deb.log" 2>&1 || { tail -30 "$WORK/build-deb.log"; die "build-deb failed"; }
        tail -1 "$WORK/build-deb.log"
        deb=$(ls "$WORK"/dist/pan-kiosk_*.deb)
    fi
    [ -f "$deb" ] || die "no such package: $deb"
    pristine_root
    say "fresh root from the pristine tarball: $ROOT"
    fresh_root
    check_install "$deb"
    check_purge
    umount_root
    if [ "$lintian" -eq 1 ]; then check_lintian "$deb"; fi
    say "summary ($((SECONDS - started)) s)"
    if [ ${#FAILED[@]} -gt 0 ]; then
        printf 'FAILED: %s\n' "${FAILED[@]}"
        exit 1
    fi
    echo "OK: installed, ran, purged without leftovers$([ "$lintian" -eq 1 ] && echo ", lintian clean")"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
    exit 0   # read no further: the file may have been edited while it ran
fi
