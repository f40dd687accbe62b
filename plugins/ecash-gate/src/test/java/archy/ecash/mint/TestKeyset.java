package archy.ecash.mint;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.DleqProof;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetId;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Dleq;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A v2 keyset with known private keys (1, 2, 4 … 2^10), so canned answers can carry real signatures and DLEQs. */
record TestKeyset(Keyset keyset, Map<Long, Scalar> privateKeys) {
  static TestKeyset create(long inputFeePpk) {
    Map<Long, Scalar> priv = new LinkedHashMap<>();
    SortedMap<BigInteger, Point> pub = new TreeMap<>();
    for (long amount = 1; amount <= 1024; amount <<= 1) {
      Scalar k = Scalar.random();
      priv.put(amount, k);
      pub.put(BigInteger.valueOf(amount), k.publicKey());
    }
    String id = KeysetId.deriveV2(pub, "sat", inputFeePpk, null);
    return new TestKeyset(new Keyset(id, "sat", true, inputFeePpk, null, pub), priv);
  }

  String id() {
    return keyset.id();
  }

  /** The mint's side: {@code C_ = k·B_} with a NUT-12 DLEQ. */
  BlindSignature sign(BlindedMessage output, long amount) {
    Scalar k = privateKeys.get(amount);
    Point blinded = output.blinded();
    Point c = Bdhke.sign(blinded, k);
    return new BlindSignature(amount, output.id(), c.toHex(), Dleq.of(DleqProof.create(k, blinded, c), null));
  }

  /** {@code {"keysets":[{…,"keys":{…}}]}} as {@code GET /v1/keys} answers. */
  String keysJson() {
    StringBuilder keys = new StringBuilder();
    keyset.keys().forEach((a, p) -> keys.append(keys.isEmpty() ? "" : ",").append('"').append(a).append("\":\"").append(p.toHex()).append('"'));
    return "{\"keysets\":[{\"id\":\"" + id() + "\",\"unit\":\"sat\",\"active\":true,\"input_fee_ppk\":"
        + keyset.inputFeePpk() + ",\"keys\":{" + keys + "}}]}";
  }
}
