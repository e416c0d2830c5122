#!/usr/bin/env python3
"""Build small sysfs-like trees for p2pfencectl's reader tests.

    mktree.py ROOT CASE

Every case starts from the same healthy machine and breaks one thing:

  00:00.0 host bridge (conventional, 256 bytes)
  00:01.0 root port, ACS on           -> 01:00.0 PCIe endpoint (group 1)
  00:02.0 root port, ACS all off      -> 02:00.0 PCIe endpoint (group 2)
  00:03.0 root port, ACS on           -> 03:00.0 switch up -> 04:00.0 down (no ACS)
                                          -> 05:00.0, and 04:01.0 down -> 06:00.0

(acs-switch: the switch's downstream ports have ACS, 04:01.0 with RR and CR
off as pci=disable_acs_redir= leaves them, and subsystem IDs: 1af4:1100 on
the ports (a bridge's SSVID capability), 10de:16c1 on the endpoints.)

(pch-quirk: Intel PCH root ports the kernel trusts by quirk, no ACS
capability, each endpoint below in a group of its own: 00:1c.0 8086:1c10
-> 07:00.0, 00:1c.1 8086:1c12 -> 08:00.0; 00:1c.2 8086:1c10 whose endpoint
09:00.0 shares the port's group (the kernel did not believe it); 00:1d.0
1af4:1044 with an ACS capability that leaves UF unimplemented, the rest on
-> 0a:00.0 in a group of its own.)

No function has a reset_method file unless the case writes one.
"""
import os
import struct
import sys

ACS_ALL = 0x5f      # SV TB RR CR UF DT (cap)
ACS_ON = 0x1d       # SV RR CR UF (ctrl)


def cfg(vendor=0x1af4, device=0x1044, cls=0x030000, hdr=0, pcie=None, acs=None,
        ats=None, size=4096, std_loop=False, ext_loop=False, zero_id=False, ssid=None,
        buses=None):
    b = bytearray(size if size >= 64 else 64)
    struct.pack_into('<HH', b, 0, vendor, device)
    struct.pack_into('<I', b, 8, cls << 8 | 1)
    b[0x0e] = hdr
    if hdr == 1 and buses:
        b[0x18], b[0x19], b[0x1a] = buses          # primary, secondary, subordinate
    if ssid is not None and hdr == 0:
        struct.pack_into('<HH', b, 0x2c, *ssid)
    if pcie is not None and size >= 256:
        struct.pack_into('<H', b, 6, 0x10)         # capability list
        b[0x34] = 0x40
        b[0x40], b[0x41] = 0x01, 0x50              # PM
        if zero_id:
            b[0x50], b[0x51] = 0x00, 0x60          # hidden by a hypervisor
        else:
            b[0x50], b[0x51] = 0x05, 0x60          # MSI
        b[0x60], b[0x61] = 0x10, (0x40 if std_loop else 0)
        struct.pack_into('<H', b, 0x62, 2 | pcie << 4)
        if ssid is not None and hdr == 1:
            b[0x61] = 0x70                         # bridge subsystem IDs
            b[0x70], b[0x71] = 0x0d, 0
            struct.pack_into('<HH', b, 0x74, *ssid)
    if size > 256:
        nxt = 0
        caps = []
        if acs is not None:
            caps.append(('acs', acs))
        if ats is not None:
            caps.append(('ats', ats))
        pos = 0x100
        # AER first, then an ID-0 one if asked, then ACS / ATS
        chain = [('aer', None)] + ([('zero', None)] if zero_id else []) + caps
        offs = [0x100 + 0x40 * i for i in range(len(chain))]
        for i, (kind, val) in enumerate(chain):
            pos = offs[i]
            nxt = offs[i + 1] if i + 1 < len(chain) else (0x100 if ext_loop else 0)
            cid = {'aer': 1, 'zero': 0, 'acs': 0x0d, 'ats': 0x0f}[kind]
            struct.pack_into('<I', b, pos, cid | 1 << 16 | nxt << 20)
            if kind == 'acs':
                struct.pack_into('<HH', b, pos + 4, val[0], val[1])
            if kind == 'ats':
                struct.pack_into('<H', b, pos + 6, 0x8000 if val else 0)
    return bytes(b[:size])


def healthy():
    # name: (path under devices/, config kwargs, group or None, group type)
    rp = dict(cls=0x060400, hdr=1, pcie=4)
    ep = dict(pcie=0)
    return {
        '0000:00:00.0': ('pci0000:00/0000:00:00.0', dict(cls=0x060000, size=256), None),
        '0000:00:01.0': ('pci0000:00/0000:00:01.0', dict(rp, acs=(ACS_ALL, ACS_ON)), 10),
        '0000:01:00.0': ('pci0000:00/0000:00:01.0/0000:01:00.0', dict(ep), 1),
        '0000:00:02.0': ('pci0000:00/0000:00:02.0', dict(rp, acs=(ACS_ALL, 0)), 11),
        '0000:02:00.0': ('pci0000:00/0000:00:02.0/0000:02:00.0', dict(ep), 2),
        '0000:00:03.0': ('pci0000:00/0000:00:03.0', dict(rp, acs=(ACS_ALL, ACS_ON)), 12),
        '0000:03:00.0': ('pci0000:00/0000:00:03.0/0000:03:00.0',
                         dict(cls=0x060400, hdr=1, pcie=5), 3),
        '0000:04:00.0': ('pci0000:00/0000:00:03.0/0000:03:00.0/0000:04:00.0',
                         dict(cls=0x060400, hdr=1, pcie=6), 3),
        '0000:05:00.0': ('pci0000:00/0000:00:03.0/0000:03:00.0/0000:04:00.0/0000:05:00.0',
                         dict(ep), 3),
        '0000:04:01.0': ('pci0000:00/0000:00:03.0/0000:03:00.0/0000:04:01.0',
                         dict(cls=0x060400, hdr=1, pcie=6), 3),
        '0000:06:00.0': ('pci0000:00/0000:00:03.0/0000:03:00.0/0000:04:01.0/0000:06:00.0',
                         dict(ep), 3),
    }


def bus_numbers(devs):
    """A bridge's primary, secondary and subordinate bus, from the paths
    (as the kernel would have set them up), so an lspci dump of the tree
    reads as the tree does."""
    for name, (path, kw, _) in devs.items():
        if not kw or kw.get('hdr') != 1:
            continue
        below = [int(n.split(':')[1], 16) for n, (p, _, _) in devs.items()
                 if p.startswith(path + '/')]
        if below:
            kw['buses'] = (int(name.split(':')[1], 16), min(below), max(below))


def write(root, devs, types, resets):
    os.makedirs(f'{root}/bus/pci/devices', exist_ok=True)
    bus_numbers(devs)
    for name, (path, kw, group) in devs.items():
        d = f'{root}/devices/{path}'
        os.makedirs(d, exist_ok=True)
        if kw is not None:
            with open(f'{d}/config', 'wb') as f:
                f.write(cfg(**kw))
        ids = kw or {}
        for fn, val in (('vendor', '0x%04x' % ids.get('vendor', 0x1af4)),
                        ('device', '0x%04x' % ids.get('device', 0x1044)),
                        ('class', '0x%06x' % ids.get('cls', 0x030000)),
                        ('irq', '0'), ('resource', '0x0 0x0 0x0\n' * 13)):
            with open(f'{d}/{fn}', 'w') as f:
                f.write(val + ('' if val.endswith('\n') else '\n'))
        if name in resets:
            with open(f'{d}/reset_method', 'w') as f:
                f.write(resets[name])
        depth = path.count('/') + 1
        os.symlink('../../../devices/' + path, f'{root}/bus/pci/devices/{name}')
        if group is not None:
            g = f'{root}/kernel/iommu_groups/{group}'
            os.makedirs(g, exist_ok=True)
            with open(f'{g}/type', 'w') as f:
                f.write(types.get(group, 'DMA') + '\n')
            os.symlink('../' * (depth + 1) + f'kernel/iommu_groups/{group}', f'{d}/iommu_group')


# cases that add one bad entry to bus/pci/devices: NAME -> link target
# (None: a directory instead of a link)
BAD_ENTRIES = {
    'dangling-link': ('0000:00:09.0', '../../../devices/pci0000:00/0000:00:09.0'),
    'escape-link': ('0000:00:09.0', '../../../../etc'),
    'absolute-link': ('0000:00:09.0', '/sys/devices/pci0000:00/0000:00:00.0'),
    'not-a-link': ('0000:00:09.0', None),
    'bad-name': ('gpu0', '../../../devices/pci0000:00/0000:00:01.0'),
    'wrong-name': ('0000:00:09.0', '../../../devices/pci0000:00/0000:00:01.0'),
}


def main():
    root, case = sys.argv[1], sys.argv[2]
    devs = healthy()
    types = {}
    resets = {}     # name -> reset_method contents
    post = None
    e1 = 'devices/pci0000:00/0000:00:01.0/0000:01:00.0'
    if case == 'healthy':
        pass
    elif case == 'missing-config':
        devs['0000:01:00.0'] = (devs['0000:01:00.0'][0], None, 1)
    elif case == 'truncated-config':
        devs['0000:01:00.0'][1]['size'] = 10
        post = lambda: open(f'{root}/{e1}/config', 'wb').write(b'\xf4\x1a' * 5)
    elif case == 'config-64':
        devs['0000:01:00.0'][1]['size'] = 64
    elif case == 'all-ones':
        devs['0000:01:00.0'][1].update(vendor=0xffff, device=0xffff)
    elif case == 'cap-loop':
        devs['0000:01:00.0'][1]['std_loop'] = True
    elif case == 'ext-loop':
        devs['0000:00:01.0'][1]['ext_loop'] = True
    elif case == 'zero-id':
        devs['0000:00:01.0'][1]['zero_id'] = True
        devs['0000:01:00.0'][1]['zero_id'] = True
    elif case == 'short-256':
        devs['0000:00:01.0'][1]['size'] = 256
    elif case == 'ats':
        devs['0000:01:00.0'][1]['ats'] = True
    elif case == 'ats-off':         # the capability, its enable bit clear
        devs['0000:01:00.0'][1]['ats'] = False
    elif case == 'ats-notb':        # the port cannot block translated requests
        devs['0000:01:00.0'][1]['ats'] = True
        devs['0000:00:01.0'][1]['acs'] = (ACS_ALL & ~0x02, ACS_ON)
    elif case == 'ats-tb':          # ... and it does
        devs['0000:01:00.0'][1]['ats'] = True
        devs['0000:00:01.0'][1]['acs'] = (ACS_ALL, ACS_ON | 0x02)
    elif case == 'identity':
        types[1] = 'identity'
    elif case == 'bad-type':
        types[1] = 'auto'
    elif case == 'missing-type':
        post = lambda: os.unlink(f'{root}/kernel/iommu_groups/1/type')
    elif case == 'bad-group-link':
        def post():
            os.unlink(f'{root}/{e1}/iommu_group')
            os.symlink('../../../../kernel/iommu_groups/abc', f'{root}/{e1}/iommu_group')
    elif case == 'no-group':
        devs['0000:01:00.0'] = (devs['0000:01:00.0'][0], devs['0000:01:00.0'][1], None)
    elif case in BAD_ENTRIES:
        name, target = BAD_ENTRIES[case]
        entry = f'{root}/bus/pci/devices/{name}'
        post = lambda: os.symlink(target, entry) if target else os.makedirs(entry)
    elif case == 'parent-missing':
        post = lambda: os.unlink(f'{root}/bus/pci/devices/0000:00:01.0')
    elif case == 'no-devices-dir':
        def post():
            import shutil
            shutil.rmtree(f'{root}/bus')
    elif case == 'root-bus-in-port':
        # a root bus inside a root port's directory: no VMD does that
        devs['10000:e0:00.0'] = ('pci0000:00/0000:00:03.0/pci10000:e0/10000:e0:00.0', dict(pcie=0), None)
    elif case == 'vmd':
        # Two Intel VMD endpoints (8086:467f, RCiEPs with ACS on), each
        # holding a root bus (the kernel's pci10000:00 / pci10001:00 inside
        # the endpoint's directory) with a root port and an NVMe; and a
        # second segment, 0001, whose low 16 bits equal 10001's, with a
        # root port and a GPU at the same bus/device/function as the NVMe
        # behind the second VMD. Each function behind a VMD has a group of
        # its own, as Linux builds them; its DMA carries the endpoint's
        # requester id all the same.
        rp = dict(cls=0x060400, hdr=1, pcie=4, acs=(ACS_ALL, ACS_ON))
        nvme = dict(cls=0x010802, pcie=0, vendor=0x144d, device=0xa808)
        for k, (fn, grp) in enumerate((('0e', 20), ('0f', 30))):
            vmd = f'0000:00:{fn}.0'
            dom = f'{0x10000 + k:x}'
            devs[vmd] = (f'pci0000:00/{vmd}', dict(vendor=0x8086, device=0x467f, cls=0x010400,
                                                   pcie=9, acs=(ACS_ALL, ACS_ON)), grp)
            base = f'pci0000:00/{vmd}/pci{dom}:00'
            devs[f'{dom}:00:01.0'] = (f'{base}/{dom}:00:01.0', dict(rp), grp + 1)
            devs[f'{dom}:01:00.0'] = (f'{base}/{dom}:00:01.0/{dom}:01:00.0', dict(nvme), grp + 2)
        devs['0001:00:00.0'] = ('pci0001:00/0001:00:00.0', dict(cls=0x060000, size=256), None)
        devs['0001:00:01.0'] = ('pci0001:00/0001:00:01.0', dict(rp), 40)
        devs['0001:01:00.0'] = ('pci0001:00/0001:00:01.0/0001:01:00.0', dict(pcie=0, vendor=0x10de,
                                                                              device=0x2330), 41)
    elif case == 'reset':
        # hand-over resets: a method of its own (flr; two, sysfs spelling),
        # none but alone below a bridge (empty file: bus), none on a root bus
        # (no file), and functions sharing a bus (one with flr)
        ep = dict(pcie=0)
        devs['0000:00:05.0'] = ('pci0000:00/0000:00:05.0', dict(ep), 13)
        devs['0000:01:00.1'] = ('pci0000:00/0000:00:01.0/0000:01:00.1', dict(ep), 1)
        devs['0000:06:00.1'] = (devs['0000:06:00.0'][0][:-1] + '1', dict(ep), 3)
        resets.update({'0000:01:00.0': 'flr\n', '0000:02:00.0': '',
                       '0000:05:00.0': 'device_specific af_flr\n'})
    elif case == 'acs-switch':
        for name, ctrl in (('0000:04:00.0', ACS_ON), ('0000:04:01.0', ACS_ON & ~0x0c)):
            devs[name][1].update(acs=(ACS_ALL, ctrl), ssid=(0x1af4, 0x1100))
        devs['0000:03:00.0'][1]['ssid'] = (0x1af4, 0x1100)
        for name, group in (('0000:05:00.0', 5), ('0000:06:00.0', 6)):
            devs[name] = (devs[name][0], dict(devs[name][1], ssid=(0x10de, 0x16c1)), group)
    elif case == 'pch-quirk':
        rp = dict(cls=0x060400, hdr=1, pcie=4)
        ep = dict(pcie=0)
        for port, vd, bus, pg, eg in (('1c.0', 0x1c10, '07', 14, 7), ('1c.1', 0x1c12, '08', 15, 8),
                                      ('1c.2', 0x1c10, '09', 16, 16)):
            devs[f'0000:00:{port}'] = (f'pci0000:00/0000:00:{port}',
                                       dict(rp, vendor=0x8086, device=vd), pg)
            devs[f'0000:{bus}:00.0'] = (f'pci0000:00/0000:00:{port}/0000:{bus}:00.0', dict(ep), eg)
        devs['0000:00:1d.0'] = ('pci0000:00/0000:00:1d.0', dict(rp, acs=(0x0f, 0x0d)), 17)
        devs['0000:0a:00.0'] = ('pci0000:00/0000:00:1d.0/0000:0a:00.0', dict(ep), 18)
    elif case == 'empty':
        devs = {}
    else:
        sys.exit(f'mktree.py: unknown case {case}')
    write(root, devs, types, resets)
    if post:
        post()


if __name__ == '__main__':
    main()
