#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted IPv4 packets for the network-level threat detections.

usage: net_craft.py IFACE DST_MAC SRC DST KIND=TAG [KIND=TAG ...]

Sends one packet (or one set of fragments) per KIND, in the order given,
as whole Ethernet frames to DST_MAC from a packet socket: no ARP, and
nothing of the sender's IP stack between the packet and the wire, so that
broken headers leave as written. TAG (1-65535) is the packet's IP id and
its TCP or UDP destination port or ICMP echo id: the receiver counts each
packet by it, and a test finds the packet in the event that reports it.

KIND:
  syn_fin       TCP SYN+FIN
  null          TCP segment without flags (null scan)
  xmas          TCP FIN+PSH+URG (Xmas scan)
  syn_data      TCP SYN carrying 64 bytes, no Fast Open option
  small_window  TCP SYN offering a window of 16 bytes
  small_mss     TCP SYN with an MSS option of 48
  doff          TCP header whose data offset is 4 (< 5 words)
  short_total   IPv4 total length 32: the TCP header cut at 12 bytes
  teardrop      two UDP fragments, the second overlapping the first
  pod           ICMP echo fragments reaching offset 65512 + 100 bytes
                (ping of death: reassembly past 65535)
  tunnel        ICMP echo request with 1000 bytes of data
  smurf         ICMP echo request to the broadcast address of DST's /24,
                in a broadcast frame

Built with struct, not scapy: importing scapy takes 10-15 s a process in
the emulated test guest, this script a fraction of one.
"""

import socket
import struct
import sys

SPORT = 40000
FIN, SYN, PSH, URG = 0x01, 0x02, 0x08, 0x20


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def with_checksum(data, at, pseudo=b''):
    return data[:at] + struct.pack('!H', checksum(pseudo + data)) + data[at + 2:]


def ipv4(src, dst, proto, tag, payload, offset=0, more=False, total=None):
    """An IPv4 header (20 bytes) and @payload; @total overrides the length."""
    frag = (0x2000 if more else 0) | offset // 8
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, total or 20 + len(payload), tag, frag, 64,
                      proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return with_checksum(hdr, 10) + payload


def pseudo(src, dst, proto, length):
    return socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, proto, length)


def tcp(src, dst, tag, flags, window=64240, mss=None, data=b'', doff=None):
    """A TCP segment from SPORT + tag to port @tag, sequence number 1000."""
    options = struct.pack('!BBH', 2, 4, mss) if mss else b''
    hdr = struct.pack('!HHIIBBHHH', SPORT + tag % 20000, tag, 1000, 0,
                      (doff or 5 + len(options) // 4) << 4, flags, window, 0, 0) + options
    seg = hdr + data
    return with_checksum(seg, 16, pseudo(src, dst, socket.IPPROTO_TCP, len(seg)))


def echo(tag, data):
    return with_checksum(struct.pack('!BBHHH', 8, 0, 0, tag, 1) + data, 2)


def build(kind, src, dst, tag):
    """The IP packets of @kind."""
    def tcp_ip(flags, **fields):
        return ipv4(src, dst, socket.IPPROTO_TCP, tag, tcp(src, dst, tag, flags, **fields))

    if kind == 'syn_fin':
        return [tcp_ip(SYN | FIN)]
    if kind == 'null':
        return [tcp_ip(0)]
    if kind == 'xmas':
        return [tcp_ip(FIN | PSH | URG)]
    if kind == 'syn_data':
        return [tcp_ip(SYN, mss=1460, data=b'x' * 64)]
    if kind == 'small_window':
        return [tcp_ip(SYN, mss=1460, window=16)]
    if kind == 'small_mss':
        return [tcp_ip(SYN, mss=48)]
    if kind == 'doff':
        return [tcp_ip(SYN, doff=4)]
    if kind == 'short_total':
        # The frame still carries the whole TCP header: the receiver
        # trims the packet to its total length, which cuts the header.
        return [ipv4(src, dst, socket.IPPROTO_TCP, tag, tcp(src, dst, tag, SYN),
                     total=20 + 12)]
    if kind == 'teardrop':
        data = b'T' * 88
        udp = struct.pack('!HHHH', SPORT, tag, 8 + len(data), 0) + data
        udp = with_checksum(udp, 6, pseudo(src, dst, socket.IPPROTO_UDP, len(udp)))
        return [ipv4(src, dst, socket.IPPROTO_UDP, tag, udp[:48], more=True),
                ipv4(src, dst, socket.IPPROTO_UDP, tag, udp[24:], offset=24)]
    if kind == 'pod':
        return [ipv4(src, dst, socket.IPPROTO_ICMP, tag, echo(tag, b'P' * 1472), more=True),
                ipv4(src, dst, socket.IPPROTO_ICMP, tag, b'P' * 100, offset=65512)]
    if kind == 'tunnel':
        return [ipv4(src, dst, socket.IPPROTO_ICMP, tag, echo(tag, b't' * 1000))]
    if kind == 'smurf':
        bcast = dst.rsplit('.', 1)[0] + '.255'
        return [ipv4(src, bcast, socket.IPPROTO_ICMP, tag, echo(tag, b's' * 32))]
    sys.exit(f'net_craft.py: unknown kind "{kind}"')


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    iface, mac, src, dst = sys.argv[1:5]
    with open(f'/sys/class/net/{iface}/address') as f:
        own = bytes.fromhex(f.read().strip().replace(':', ''))
    out = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    out.bind((iface, 0))
    for arg in sys.argv[5:]:
        kind, tag = arg.split('=')
        to = b'\xff' * 6 if kind == 'smurf' else bytes.fromhex(mac.replace(':', ''))
        for packet in build(kind, src, dst, int(tag)):
            out.send(to + own + b'\x08\x00' + packet)


if __name__ == '__main__':
    main()
