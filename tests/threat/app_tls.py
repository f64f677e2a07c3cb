#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted TLS, SSL and SSH clients for the threat tests (threat_app_test.c).

    app_tls.py CASE HOST PORT

CASE: heartbleed, ssl_v2, ssl_v3, ssl_v2_cipher_overflow, ssh_v1. Sends the
case's offending message and reads what the server does about it. Prints
what happened; exits 0 when the server answered it (bytes, then or without
a close), 1 when the connection was reset, 2 on a timeout or anything else.
"""
import socket
import struct
import sys

TIMEOUT = 10


def record(ctype, version, body):
    return struct.pack('>BHH', ctype, version, len(body)) + body


def ext(etype, data):
    return struct.pack('>HH', etype, len(data)) + data


def client_hello(version, heartbeat=False):
    """A TLS ClientHello of @version (no supported_versions: that is all it
    offers) that OpenSSL 3 can complete with an EC certificate."""
    ciphers = [0xc02b, 0xc02f, 0xc009, 0xc013, 0x002f, 0x0035]
    exts = ext(0x000a, struct.pack('>HHH', 4, 0x001d, 0x0017))	# groups
    exts += ext(0x000b, b'\x01\x00')				# point formats
    sigs = [0x0403, 0x0804, 0x0401, 0x0203, 0x0201]
    exts += ext(0x000d, struct.pack('>H', 2 * len(sigs)) +
                b''.join(struct.pack('>H', s) for s in sigs))
    if heartbeat:
        exts += ext(0x000f, b'\x01')				# peer_allowed_to_send
    body = struct.pack('>H', version) + bytes(range(32)) + b'\x00'
    body += struct.pack('>H', 2 * len(ciphers))
    body += b''.join(struct.pack('>H', c) for c in ciphers)
    body += b'\x01\x00' + struct.pack('>H', len(exts)) + exts
    msg = b'\x01' + struct.pack('>I', len(body))[1:] + body
    return record(22, 0x0301 if version > 0x0300 else 0x0300, msg)


def sslv2_hello(cipher_overflow=False):
    """An SSL 2.0 CLIENT-HELLO (version 0x0002). With @cipher_overflow its
    cipher-specs length claims more bytes than the record holds."""
    specs = bytes.fromhex('0700c0 050080 030080 010080 060040 040080 020080')
    challenge = bytes(range(16))
    spec_len = len(specs) + (256 if cipher_overflow else 0)
    body = struct.pack('>BHHHH', 1, 0x0002, spec_len, 0, len(challenge))
    body += specs + challenge
    return struct.pack('>H', 0x8000 | len(body)) + body


def read_some(sock):
    """Reads until the peer closes or TIMEOUT: (bytes, 'closed'|'reset'|'timeout')."""
    data = b''
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return data, 'closed'
            data += chunk
            if len(data) > 1 << 20:
                return data, 'open'
    except (ConnectionResetError, BrokenPipeError):
        return data, 'reset'
    except socket.timeout:
        return data, 'timeout'


def read_until(sock, pred):
    """Reads until @pred(data) holds or the connection ends."""
    data = b''
    try:
        while not pred(data):
            chunk = sock.recv(65536)
            if not chunk:
                return data, 'closed'
            data += chunk
    except (ConnectionResetError, BrokenPipeError):
        return data, 'reset'
    except socket.timeout:
        return data, 'timeout'
    return data, 'open'


def server_hello_done(data):
    """Whether the TLS 1.2 server flight in @data ends (ServerHelloDone)."""
    pos = 0
    while pos + 5 <= len(data):
        ctype, _, length = struct.unpack('>BHH', data[pos:pos + 5])
        if ctype == 21:
            return True
        if ctype == 22 and b'\x0e\x00\x00\x00' in data[pos + 5:pos + 5 + length]:
            return True
        pos += 5 + length
    return False


def verdict(what, data, end):
    print('%s: %d bytes back, then %s' % (what, len(data), end))
    if end == 'reset' and not data:
        return 1
    return 0 if data else 2


def main():
    case, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        sock = socket.create_connection((host, port), timeout=TIMEOUT)
    except OSError as err:
        print('connect: %s' % err)
        return 2
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        if case == 'heartbleed':
            sock.sendall(client_hello(0x0303, heartbeat=True))
            data, end = read_until(sock, server_hello_done)
            if end != 'open':
                print('handshake: %d bytes back, then %s' % (len(data), end))
                return 2
            # Claims 16384 bytes of payload, carries one.
            sock.sendall(record(24, 0x0303, b'\x01\x40\x00A'))
        elif case == 'ssl_v2':
            sock.sendall(sslv2_hello())
        elif case == 'ssl_v2_cipher_overflow':
            sock.sendall(sslv2_hello(cipher_overflow=True))
        elif case == 'ssl_v3':
            sock.sendall(client_hello(0x0300))
        elif case == 'ssh_v1':
            banner, end = read_until(sock, lambda d: b'\n' in d)
            if end != 'open':
                print('no server banner: %r, %s' % (banner, end))
                return 2
            sock.sendall(b'SSH-1.5-x\r\n')
        else:
            print('unknown case %s' % case)
            return 2
    except (ConnectionResetError, BrokenPipeError):
        print('%s: reset while sending' % case)
        return 1
    data, end = read_some(sock)
    return verdict(case, data, end)


if __name__ == '__main__':
    sys.exit(main())
