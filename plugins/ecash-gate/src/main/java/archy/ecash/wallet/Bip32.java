package archy.ecash.wallet;

import archy.ecash.crypto.Scalar;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * BIP-32 private-key derivation, only as far as NUT-13 v1 needs it: a master key from a seed and private child
 * keys along a path (hardened and normal steps). No extended-key serialization.
 */
final class Bip32 {
  static final int HARDENED = 0x80000000;

  record Node(Scalar key, byte[] chainCode) {
    Node child(int index) {
      ByteBuffer data = ByteBuffer.allocate(37);
      if ((index & HARDENED) != 0) {
        data.put((byte) 0).put(key.toBytes());
      } else {
        data.put(key.publicKey().compressed());
      }
      data.putInt(index);
      byte[] i = hmacSha512(chainCode, data.array());
      // IL >= n or a zero child key has probability ~2^-127; BIP-32 would skip to the next index, we refuse
      Scalar tweak = Scalar.fromBytes(Arrays.copyOfRange(i, 0, 32));
      return new Node(key.add(tweak), Arrays.copyOfRange(i, 32, 64));
    }
  }

  private Bip32() {}

  static Node master(byte[] seed) {
    byte[] i = hmacSha512("Bitcoin seed".getBytes(StandardCharsets.US_ASCII), seed);
    return new Node(Scalar.fromBytes(Arrays.copyOfRange(i, 0, 32)), Arrays.copyOfRange(i, 32, 64));
  }

  /** Derives along indexes; use {@code index | HARDENED} for the primed steps of a path. */
  static Node derive(Node from, int... path) {
    Node node = from;
    for (int index : path) node = node.child(index);
    return node;
  }

  private static byte[] hmacSha512(byte[] key, byte[] data) {
    HMac mac = new HMac(new SHA512Digest());
    mac.init(new KeyParameter(key));
    mac.update(data, 0, data.length);
    byte[] out = new byte[64];
    mac.doFinal(out, 0);
    return out;
  }
}
