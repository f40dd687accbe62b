package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.KeysetId;
import archy.ecash.keyset.Keyset;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.Proof;
import java.math.BigInteger;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OutputsTest {
  private final Scalar k1 = Scalar.random();
  private final Scalar k2 = Scalar.random();
  private final Keyset keyset = keyset();

  private Keyset keyset() {
    SortedMap<BigInteger, Point> keys = new TreeMap<>();
    keys.put(BigInteger.ONE, k1.publicKey());
    keys.put(BigInteger.TWO, k2.publicKey());
    return new Keyset(KeysetId.deriveV2(keys, "sat", 0, null), "sat", true, 0, null, keys);
  }

  private BlindSignature sign(BlindedOutput o, long amount) {
    Scalar k = amount == 1 ? k1 : k2;
    return new BlindSignature(amount, o.keysetId(), Bdhke.sign(o.blinded(), k).toHex(), null);
  }

  @Test
  void blankOutputCountFollowsNut08() {
    assertEquals(0, Outputs.blankCount(0));
    assertEquals(1, Outputs.blankCount(1));
    assertEquals(1, Outputs.blankCount(2));
    assertEquals(2, Outputs.blankCount(3));
    assertEquals(10, Outputs.blankCount(1000)); // the NUT-08 example: ceil(log2(1000)) = 10
    assertEquals(10, Outputs.blankCount(1024));
    assertEquals(11, Outputs.blankCount(1025));
  }

  @Test
  void unblindChecksAmountKeysetAndCount() throws Exception {
    BlindedOutput o = BlindedOutput.random(1, keyset.id());
    Proof p = o.unblind(sign(o, 1), keyset);
    assertTrue(Bdhke.verify(p.secret(), p.signature(), k1));
    assertThrows(InvalidSignatureException.class, () -> o.unblind(sign(o, 2), keyset));
    assertEquals(2, o.unblindChange(sign(o, 2), keyset).amount());
    BlindedOutput elsewhere = BlindedOutput.random(1, "00ad268c4d1f5826");
    assertThrows(InvalidSignatureException.class, () -> elsewhere.unblind(sign(elsewhere, 1), keyset));
    assertThrows(InvalidSignatureException.class, () -> Outputs.unblind(List.of(o, o), List.of(sign(o, 1)), keyset));
    assertThrows(InvalidSignatureException.class,
        () -> Outputs.unblindChange(List.of(o), List.of(sign(o, 1), sign(o, 1)), keyset));
    assertEquals(List.of(), Outputs.unblindChange(List.of(o), List.of(), keyset));
  }

  @Test
  void deterministicOutputsAreReproducible() throws Exception {
    DeterministicSecrets seed = DeterministicSecrets.fromSeed(new byte[64]);
    BlindedOutput a = BlindedOutput.deterministic(2, keyset.id(), seed, 7);
    BlindedOutput b = BlindedOutput.deterministic(2, keyset.id(), seed, 7);
    assertEquals(a.message(), b.message());
    assertFalse(a.message().equals(BlindedOutput.deterministic(2, keyset.id(), seed, 8).message()));
    assertFalse(a.toString().contains(a.secret()));
  }
}
