#!/usr/bin/env python3
"""Writes the seed corpora of the handshake message fuzz targets from the RFC 8448 traces:
fuzz/corpus/msg_client_hello/ gets every ClientHello body, fuzz/corpus/msg_server_flight/ a
configuration byte (see fuzz/msg_server_flight.c) followed by what a client receives, and
fuzz/corpus/client/ the records of the §3 server, whole and in 1-byte pieces, for the client
target (see fuzz/client_driver.h).

Usage, from the source tree: python3 fuzz/rfc8448_seeds.py [../shared/specs/rfc8448.txt]
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def dumps(text):
    """Yields (section, step, label, bytes) for every "<label> (<n> octets):" dump, in order;
    step is the heading of the step it belongs to ("{server}  send handshake record:")."""
    section = None
    step = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        head = re.match(r"^(\d+)\.  ", line)
        if head:
            section = head.group(1)
        heading = re.match(r"^\s+(\{(client|server)\}.*)$", line)
        if heading:
            step = heading.group(1)
        m = re.match(r"^\s+([A-Za-z][\w ]*?) \((\d+) octets\):\s*(.*)$", line)
        if m and section:
            want, hexes = int(m.group(2)), m.group(3).split()
            i += 1
            while len(hexes) < want and i < len(lines):
                cont = lines[i]
                if cont.startswith("   ") and re.fullmatch(r"[\s0-9a-f]+", cont):
                    hexes += cont.split()
                elif cont.strip() and not cont.startswith(("RFC", "Thomson", "\f")):
                    break
                i += 1
            if len(hexes) == want:
                yield section, step, m.group(1), bytes(int(h, 16) for h in hexes)
            continue
        i += 1


def write(corpus, name, data):
    path = os.path.join(HERE, "corpus", corpus)
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, name), "wb") as f:
        f.write(data)


def main():
    rfc = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared",
                                                              "specs", "rfc8448.txt")
    with open(rfc, encoding="utf-8") as f:
        found = list(dumps(f.read()))
    hellos = [(s, d) for s, _, label, d in found
              if d[:1] == b"\x01" and len(d) == 4 + int.from_bytes(d[1:4], "big")
              and label in ("ClientHello", "payload")]
    seen = set()
    for section, msg in hellos:
        if msg not in seen:
            seen.add(msg)
            write("msg_client_hello", "rfc8448-s%s-%d" % (section, len(seen)), msg[4:])
    server_types = {2, 4, 8, 11, 13, 15, 20, 24}
    names = ("ServerHello", "EncryptedExtensions", "Certificate", "CertificateRequest",
             "CertificateVerify", "Finished", "NewSessionTicket", "payload")
    count = 0
    for section, _, label, msg in found:
        if label in names and msg[:1] and msg[0] in server_types and msg not in seen:
            seen.add(msg)
            count += 1
            # 0x00: typical offer, 32-byte Finished, TLS 1.3 Certificate.
            write("msg_server_flight", "rfc8448-s%s-%02d-%s" % (section, count, label),
                  b"\x00" + msg)
    write("msg_server_flight", "key-update", b"\x00\x18\x00\x00\x01\x01")
    # The client target in RFC 8448 mode (0x01): everything the §3 server sends.
    flight = b"".join(d for s, step, label, d in found
                      if s == "3" and step.startswith("{server}  send") and
                      label == "complete record")
    write("client", "rfc8448-s3", b"\x01\xff" + flight)
    write("client", "rfc8448-s3-pieces", b"\x01\x00" + flight)
    return 0


if __name__ == "__main__":
    sys.exit(main())
