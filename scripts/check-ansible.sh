#!/usr/bin/env bash
# The fleet playbook, run for real against a Debian 12 chroot (issue point 4). Run as root on Debian 12
# when packaging/ansible/ or the package changes; about 5 minutes with warm caches.
#
#   scripts/check-ansible.sh [--deb FILE]
#
#  1. ansible (ansible-core 2.17 with community.general, for the chroot connection) in a venv under
#     build/ansible-venv, installed once with pip;
#  2. the .deb from packaging/build-deb (or --deb FILE);
#  3. a fresh copy of the cached bookworm minbase root of scripts/check-package-install.sh in
#     build/pkgcheck/ansible-root, made like a terminal of packaging/image/build-image before Ansible
#     comes (systemd, dbus, ca-certificates, the package with CUPS, SANE, espeak-ng, node exporter,
#     minisign) plus python3-apt, which Ansible's apt module needs and cannot install itself in
#     --check mode (the image lacks it); policy-rc.d: no service starts; for the doctor, SANE's
#     test backend and a cupsd of the root (its own socket only) with the site's Receipts queue;
#  4. packaging/ansible/site.yml through the community.general.chroot connection on pan-69-01 of
#     inventory.example.ini (its site's values, devices and help channel), with test credentials (help-token, mediator-accounts) and the package above: --check --diff, then for real, then a second time, which must report changed=0.
#     Each run's output is in build/pkgcheck/ansible-*.log; the PLAY RECAPs are printed at the end.
#  5. what the runs left: the templated kiosk.toml (validated by pan-kiosk check-config), the
#     credentials' modes, the units' enablement, the doctor.
set -euo pipefail

# fresh_root, pristine_root, mount_root, umount_root, in_root, say, die, host_tools
# shellcheck source=scripts/check-package-install.sh
source "$(dirname "${BASH_SOURCE[0]}")/check-package-install.sh"
ROOT=$WORK/ansible-root
ANSIBLE_VENV=$REPO/build/ansible-venv
ANSIBLE_SPEC="ansible>=10,<11"

ansible_venv() {
    if [ -x "$ANSIBLE_VENV/bin/ansible-playbook" ] && [ -f "$ANSIBLE_VENV/.installed" ]; then
        return 0
    fi
    say "ansible: pip install '$ANSIBLE_SPEC' into $ANSIBLE_VENV"
    rm -rf "$ANSIBLE_VENV"
    python3 -m venv "$ANSIBLE_VENV"
    "$ANSIBLE_VENV/bin/python" -m pip install -q "$ANSIBLE_SPEC"
    touch "$ANSIBLE_VENV/.installed"
}

terminal_baseline() {  # a terminal as packaging/image/build-image leaves it, and python3-apt
    say "terminal baseline: systemd, dbus, the package and the image's extra packages, python3-apt"
    cp "$DEB" "$ROOT/tmp/pan-kiosk.deb"
    in_root apt-get install -y -q --no-install-recommends systemd systemd-sysv dbus ca-certificates \
        /tmp/pan-kiosk.deb cups cups-client sane-utils espeak-ng prometheus-node-exporter minisign \
        python3-apt > "$WORK/ansible-baseline.log" 2>&1 \
        || { tail -20 "$WORK/ansible-baseline.log"; die "baseline packages failed"; }
    rm -f "$ROOT/tmp/pan-kiosk.deb"
    tail -1 "$WORK/ansible-baseline.log"
}

device_fixtures() {  # what the doctor looks for: a SANE scanner and the site's CUPS queue (Receipts)
    say "devices for the doctor: SANE's test backend, a cupsd in the root with the Receipts queue"
    grep -qx test "$ROOT/etc/sane.d/dll.conf" || echo test >> "$ROOT/etc/sane.d/dll.conf"
    # the root shares the host's network: its cupsd listens on its own socket only, not on :631
    sed -i -E 's/^(Listen localhost:631|Port 631)/# check-ansible: \1/' "$ROOT/etc/cups/cupsd.conf"
    mkdir -p "$ROOT/run/cups"
    # not through in_root: $! must be cupsd itself (chroot and env exec it), not a subshell
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin LC_ALL=C.UTF-8 /usr/sbin/cupsd -f \
        > "$WORK/ansible-cupsd.log" 2>&1 &
    CUPSD_PID=$!
    local _
    for _ in $(seq 50); do
        in_root lpstat -r 2>/dev/null | grep -q "is running" && break
        sleep 0.2
    done
    # a raw queue to a socket nobody listens on: lpstat sees it idle, nothing is ever printed here
    in_root lpadmin -p Receipts -E -v socket://127.0.0.1:9 -m raw 2>&1 | grep -v deprecated || true
    in_root lpstat -p Receipts
    in_root scanimage -L
}

stop_cupsd() {
    if [ -n "${CUPSD_PID:-}" ] && kill "$CUPSD_PID" 2>/dev/null; then
        wait "$CUPSD_PID" 2>/dev/null || true
    fi
    CUPSD_PID=""
}

write_inventory() {  # pan-69-01 of inventory.example.ini, reached by chroot
    cat > "$WORK/ansible-inventory.ini" <<EOF
# Layered over packaging/ansible/inventory.example.ini (site values, devices, help channel...):
# pan-69-01 is the chroot.
[pref69_lyon]
pan-69-01 ansible_host=$ROOT ansible_connection=community.general.chroot
EOF
    # test values, not secrets, where Vault would give the fleet's (the PIN of med-01 is 482913)
    {
        printf 'pan_kiosk_deb: "%s"\n' "$DEB"
        cat <<'EOF'
pan_kiosk_credentials:
  help-token: "check-ansible-test-token"
  mediator-accounts: "med-01:mediator:$scrypt$ln=10,r=8,p=1$aQRR9MajX8D6MLMUCZ+f5A$udCyGSqimlRULVwlX6JCKwii0o2QmiDQ2Bvt7Y9FqHE"
EOF
    } > "$WORK/ansible-extra-vars.yml"
}

playbook() {  # playbook LOG ARGS...: ansible-playbook site.yml on the chroot, output kept in LOG
    local log=$1 rc=0
    shift
    say "ansible-playbook site.yml $*"
    (cd "$REPO/packaging/ansible" && ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 \
        ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=auto_silent \
        "$ANSIBLE_VENV/bin/ansible-playbook" -i inventory.example.ini -i "$WORK/ansible-inventory.ini" \
        --limit pan-69-01 -e "@$WORK/ansible-extra-vars.yml" site.yml "$@") > "$log" 2>&1 || rc=$?
    grep -E '^(TASK|RUNNING HANDLER|changed|ok|fatal|failed|skipping|FAILED)|^\s+"msg"|^---|^\+\+\+|^[-+][^-+]' \
        "$log" | cut -c1-160 | grep -v '^ok: \[pan-69-01\] => (item=' || true
    sed -n '/PLAY RECAP/,$p' "$log"
    echo "-> ansible-playbook exit $rc"
    return "$rc"
}

recap() { sed -n '/PLAY RECAP/,/^$/p' "$1" | grep 'pan-69-01'; }

main_ansible() {
    DEB=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --deb) DEB=$(realpath "$2"); shift 2 ;;
            -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown argument $1" ;;
        esac
    done
    [ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mounts)"
    mkdir -p "$WORK"
    trap 'stop_cupsd; umount_root' EXIT
    local started=$SECONDS failed=()
    ansible_venv
    "$ANSIBLE_VENV/bin/ansible-playbook" --version | sed -n 1p
    if [ -z "$DEB" ]; then
        say "packaging/build-deb"
        local py=python3
        [ -x "$REPO/.venv/bin/python" ] && py=$REPO/.venv/bin/python
        "$py" "$REPO/packaging/build-deb" --output "$WORK/ansible-dist" --work "$WORK/ansible-deb-work" \
            > "$WORK/ansible-build-deb.log" 2>&1 \
            || { tail -30 "$WORK/ansible-build-deb.log"; die "build-deb failed"; }
        tail -1 "$WORK/ansible-build-deb.log"
        DEB=$(ls "$WORK"/ansible-dist/pan-kiosk_*.deb)
    fi
    [ -f "$DEB" ] || die "no such package: $DEB"
    pristine_root
    say "fresh root: $ROOT"
    fresh_root
    terminal_baseline
    device_fixtures
    write_inventory

    playbook "$WORK/ansible-check.log" --check --diff || failed+=("--check --diff run")
    playbook "$WORK/ansible-run1.log" --diff || failed+=("first run")
    playbook "$WORK/ansible-run2.log" || failed+=("second run")

    say "what the runs left in the root"
    in_root sh -c 'cat /etc/pan-kiosk/kiosk.toml; stat -c "%A %U:%G %n" /etc/pan-kiosk/kiosk.toml \
        /etc/pan-kiosk/credentials /etc/pan-kiosk/credentials/*; \
        pan-kiosk check-config /etc/pan-kiosk/kiosk.toml; \
        systemctl is-enabled pan-kiosk.service pan-kiosk-content.service' 2>&1 || true

    say "PLAY RECAP"
    stop_cupsd
    printf '%-16s %s\n' "--check --diff:" "$(recap "$WORK/ansible-check.log")" \
        "first run:" "$(recap "$WORK/ansible-run1.log")" "second run:" "$(recap "$WORK/ansible-run2.log")"
    if ! recap "$WORK/ansible-run2.log" | grep -q 'changed=0 .*failed=0'; then
        failed+=("second run is not idempotent (changed=0 failed=0 expected)")
    fi
    umount_root
    say "summary ($((SECONDS - started)) s)"
    if [ ${#failed[@]} -gt 0 ]; then
        printf 'FAILED: %s\n' "${failed[@]}"
        exit 1
    fi
    echo "OK: check mode, first run and an idempotent second run (changed=0)"
}

main_ansible "$@"
exit 0   # read no further: the file may have been edited while it ran
