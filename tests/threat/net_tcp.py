#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP servers and clients for the session-level threat detections.

usage: net_tcp.py hold PORT
       net_tcp.py talk PORT
       net_tcp.py split PORT
       net_tcp.py connect DST PORT COUNT SRC
       net_tcp.py silent DST PORT SECONDS SRC

hold     accepts connections and keeps them open, silent.
talk     accepts connections and writes a byte to each every 0.5 s.
split    answers every SYN to PORT with a plain SYN of its own (a split
         handshake), read from a packet socket and written with a raw
         socket. Let no listener and no RST of the host's stack answer
         those SYNs (drop them at the input hook). Prints "ready".
connect  opens COUNT connections from address SRC, one after the other,
         keeping them all open; waits up to 0.5 s for each, then 1 s for
         the late ones. Prints "connected N": how many were established.
silent   connects from SRC, never sends, reads for SECONDS; then sends a
         byte and reads for one more second, to learn whether the
         connection still stands. Prints "bytes=N end=E after=T": N bytes
         read in the silent SECONDS, E "open" (still open at the end),
         "eof", "reset", "refused" or "unconnected" (no answer), T the
         seconds from the start to that end.
"""

import random
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # importing net_craft leaves no __pycache__ in the tree
from net_craft import with_checksum  # noqa: E402


def listener(port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('', port))
    srv.listen(128)
    return srv


def hold(port):
    srv = listener(port)
    held = []
    while True:
        held.append(srv.accept()[0])


def talk(port):
    srv = listener(port)
    clients = []
    next_write = time.monotonic()
    while True:
        if select.select([srv], [], [], max(0, next_write - time.monotonic()))[0]:
            clients.append(srv.accept()[0])
            continue
        next_write += 0.5
        for c in clients[:]:
            try:
                c.send(b'.')
            except OSError:
                clients.remove(c)
                c.close()


def split(port):
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    print('ready', flush=True)
    while True:
        pkt, addr = rx.recvfrom(65535)
        ihl = (pkt[0] & 0xf) * 4
        if addr[2] == socket.PACKET_OUTGOING or pkt[9] != socket.IPPROTO_TCP:
            continue
        sport, dport = struct.unpack('!HH', pkt[ihl:ihl + 4])
        flags = pkt[ihl + 13]
        if dport != port or flags & 0x12 != 0x02:	# SYN without ACK
            continue
        src, dst = pkt[16:20], pkt[12:16]
        syn = struct.pack('!HHIIBBHHH', port, sport, random.getrandbits(32), 0,
                          5 << 4, 0x02, 64240, 0, 0)
        pseudo = src + dst + struct.pack('!BBH', 0, socket.IPPROTO_TCP, len(syn))
        tx.sendto(with_checksum(syn, 16, pseudo), (socket.inet_ntoa(dst), 0))


def connect(dst, port, count, src):
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.bind((src, 0))
        s.setblocking(False)
        s.connect_ex((dst, port))
        select.select([], [s], [], 0.5)
        socks.append(s)
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        if len(select.select([], socks, [], deadline - time.monotonic())[1]) == count:
            break
    connected = 0
    for s in socks:
        try:
            s.getpeername()
            connected += 1
        except OSError:
            pass
    print(f'connected {connected}')


def read_until(s, deadline):
    """Bytes read from @s until @deadline; None at the end of the stream."""
    received = 0
    while time.monotonic() < deadline:
        s.settimeout(deadline - time.monotonic())
        try:
            data = s.recv(4096)
        except socket.timeout:
            break
        if not data:
            return None
        received += len(data)
    return received


def silent(dst, port, seconds, src):
    start = time.monotonic()
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(seconds)
    received, end = 0, 'unconnected'
    try:
        s.connect((dst, port))
        end = 'open'
        received = read_until(s, start + seconds)
        if received is not None:
            s.send(b'x')
            if read_until(s, start + seconds + 1) is None:
                end = 'eof'
        else:
            received, end = 0, 'eof'
    except socket.timeout:
        pass
    except ConnectionResetError:
        end = 'reset'
    except ConnectionRefusedError:
        end = 'refused'
    print(f'bytes={received} end={end} after={time.monotonic() - start:.1f}')


def main():
    cmd, args = (sys.argv + [''])[1], sys.argv[2:]
    if cmd in ('hold', 'talk', 'split') and len(args) == 1:
        {'hold': hold, 'talk': talk, 'split': split}[cmd](int(args[0]))
    elif cmd == 'connect' and len(args) == 4:
        connect(args[0], int(args[1]), int(args[2]), args[3])
    elif cmd == 'silent' and len(args) == 4:
        silent(args[0], int(args[1]), float(args[2]), args[3])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
