# topology: many-functions
# kernels: 6.1 6.12
# Guest half of tests/pkg/ynl.sh: dumps whose one tenant does not fit one
# netlink message. 80 functions on the root bus (00:08.0-00:11.7); 70 go to
# a tenant with a 63-byte name, 10 to tenant 7 (audit mode: functions of a
# multifunction device without ACS). The kernel's cli.py (a fresh socket:
# the first dump message is the smallest) and p2pfencectl must see all 80.
. /p2pfence/lib.sh
[ -x /ynl/usr/bin/python3 ] || die "no /ynl chroot in the initramfs (scripts/ynlroot)"
have_ctl || die "no $CTL"
mkdir -p /ynl/proc /ynl/dev /ynl/tmp
mount -t proc proc /ynl/proc
YNL() { chroot /ynl /usr/bin/python3 /ynl/cli.py --spec /spec/p2pfence.yaml --no-schema "$@"; }
mod_load audit_interval=0 mode=audit || die "insmod failed"
N=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123

# dev entries for root-bus devfns FROM..TO
devs() {
	_d=$1 _s=
	while [ "$_d" -le "$2" ]; do
		_s="$_s${_s:+, }{\"domain\": 0, \"bdf\": $_d}"
		_d=$((_d + 1))
	done
	echo "[$_s]"
}
expect_rc 0 "70 functions to the 63-byte name in one request" \
	YNL --do dev-assign --json "{\"dev\": $(devs 64 133), \"tenant-name\": \"$N\"}"
expect_rc 0 "10 functions to tenant 7" YNL --do dev-assign --json "{\"dev\": $(devs 134 143), \"tenant\": 7}"
expect_rc 0 "cli.py dump tenant-get" YNL --dump tenant-get --output-json
expect_eq "$(printf '%s\n' "$OUT" | grep -o '"bdf": [0-9]*' | sort -u | wc -l)" 80 \
	"the dump lists all 80 devices"
expect_eq "$(printf '%s\n' "$OUT" | grep -o "\"tenant-name\": \"$N\"" | head -1)" "\"tenant-name\": \"$N\"" \
	"the named tenant is in it"
expect_match "$OUT" '"tenant": 7,' "tenant 7 follows it"
expect_rc 0 "cli.py dump dev-get" YNL --dump dev-get --output-json
expect_eq "$(printf '%s\n' "$OUT" | grep -o "\"tenant-name\": \"$N\"" | wc -l)" 70 \
	"dev-get dump: 70 devices name the tenant"
expect_rc 0 "p2pfencectl -j tenant show" $CTL -j tenant show
expect_eq "$(printf '%s\n' "$OUT" | grep -o '"0000:00:[0-9a-f]*\.[0-7]"' | sort -u | wc -l)" 80 \
	"p2pfencectl sees all 80 devices"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
