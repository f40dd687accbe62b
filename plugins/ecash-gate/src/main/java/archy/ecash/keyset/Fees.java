package archy.ecash.keyset;

import java.util.Map;

/**
 * NUT-02 input fees: each input costs its keyset's {@code input_fee_ppk} parts per thousand of one unit, summed
 * over all inputs (possibly from several keysets) and rounded up once: {@code (Σ ppk + 999) / 1000}.
 */
public final class Fees {
  private Fees() {}

  /**
   * @param inputKeysetIds the keyset id of each input, one entry per input
   * @param keysets        the mint's keysets by full id
   * @throws IllegalArgumentException when an input's keyset is not in {@code keysets}
   */
  public static long inputFee(Iterable<String> inputKeysetIds, Map<String, KeysetInfo> keysets) {
    long ppk = 0;
    for (String id : inputKeysetIds) {
      KeysetInfo keyset = keysets.get(id);
      if (keyset == null) throw new IllegalArgumentException("unknown keyset " + id);
      ppk = Math.addExact(ppk, keyset.inputFeePpk());
    }
    return Math.ceilDiv(ppk, 1000);
  }
}
