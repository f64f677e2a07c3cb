#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted DNS queries over UDP for the threat tests (threat_app_test.c).

    app_dns.py CASE SERVER [COUNT]

CASE:
  pointer_loop    a query whose name is a compression pointer to itself
  oversized_name  a query for a name of 300 bytes (five labels of 59)
  long_label      a query whose first label claims 64 bytes
  flood           COUNT queries for www.shop.test as fast as possible, from
                  one socket; prints how many were answered
Exits 0 when the server answered (flood: every query), 1 when it did not
(flood: some were not), 2 on an error.
"""
import os
import socket
import struct
import sys
import time

TIMEOUT = 3


def header(qid):
    return struct.pack('>HHHHHH', qid, 0x0100, 1, 0, 0, 0)


def labels(*parts):
    return b''.join(bytes([len(p)]) + p for p in parts) + b'\x00'


def query(case, qid):
    if case == 'pointer_loop':
        # The name starts at offset 12 and points to offset 12.
        name = b'\xc0\x0c'
    elif case == 'oversized_name':
        name = labels(*([b'a' * 59] * 5), b'shop', b'test')
    elif case == 'long_label':
        # 0x40: a length of 64, one over the limit of 63.
        name = b'\x40' + b'b' * 64 + labels(b'shop', b'test')
    else:
        name = labels(b'www', b'shop', b'test')
    return header(qid) + name + struct.pack('>HH', 1, 1)


def flood(sock, count):
    """Sends @count queries, then counts the answers for TIMEOUT seconds."""
    start = time.monotonic()
    for qid in range(count):
        sock.send(query('flood', qid))
    sent_in = time.monotonic() - start
    answered = set()
    deadline = time.monotonic() + TIMEOUT
    while len(answered) < count and time.monotonic() < deadline:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            answer = sock.recv(4096)
        except socket.timeout:
            break
        if len(answer) >= 2:
            answered.add(struct.unpack('>H', answer[:2])[0])
    print('flood: %d queries in %.2f s, %d answered' % (count, sent_in, len(answered)))
    return 0 if len(answered) == count else 1


def main():
    case, server = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((server, 53))
    if case == 'flood':
        return flood(sock, int(sys.argv[3]))
    qid = struct.unpack('>H', os.urandom(2))[0]
    sock.send(query(case, qid))
    sock.settimeout(TIMEOUT)
    try:
        answer = sock.recv(4096)
    except socket.timeout:
        print('%s: no answer in %d s' % (case, TIMEOUT))
        return 1
    except OSError as err:
        print('%s: %s' % (case, err))
        return 2
    rcode = answer[3] & 0xf if len(answer) >= 4 else -1
    print('%s: an answer of %d bytes, rcode %d' % (case, len(answer), rcode))
    return 0


if __name__ == '__main__':
    sys.exit(main())
