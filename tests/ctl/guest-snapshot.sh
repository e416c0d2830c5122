# Guest side of tests/ctl/make-fixtures: snapshot this guest's /sys with
# p2pfencectl, check that the copy reads like the live tree (check and
# lspci), and print the snapshot as base64 between marker lines.
CTL=/p2pfence/p2pfencectl
S=/tmp/snap
rc=0
$CTL snapshot $S || exit 1
$CTL -j check >/tmp/live.json 2>/tmp/live.err
$CTL -j check --sysfs $S >/tmp/snap.json 2>/tmp/snap.err
if cmp -s /tmp/live.json /tmp/snap.json && cmp -s /tmp/live.err /tmp/snap.err; then
	echo "ok - check on the snapshot equals check on /sys"
else
	echo "not ok - check on the snapshot differs from /sys"; rc=1
	diff /tmp/live.json /tmp/snap.json | sed 's/^/# /'
fi
lspci -vvv >/tmp/l1 2>&1
lspci -A linux-sysfs -O sysfs.path=$S/bus/pci -vvv >/tmp/l2 2>&1
if diff /tmp/l1 /tmp/l2 >/tmp/ldiff; then
	echo "ok - lspci -vvv decodes the snapshot as the live tree"
else
	echo "not ok - lspci -vvv on the snapshot differs"; rc=1
	sed 's/^/# /' /tmp/ldiff | head -40
fi
echo "P2PFENCE-SNAPSHOT-BEGIN"
tar -C $S -czf - . | base64
echo "P2PFENCE-SNAPSHOT-END"
exit $rc
