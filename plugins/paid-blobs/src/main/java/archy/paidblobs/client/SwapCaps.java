package archy.paidblobs.client;

import archy.config.ConfigSection;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * How far the payer may go to pay a seller whose mints it holds too little on ({@code [paid-blobs.client]}): a
 * cross-mint swap costing at most {@code maxFeeSats} and at most {@code maxFeePpm} of the amount moved, which
 * moves the payment plus {@code floatSats} (kept on the target for the next payments, so a film does not cost a
 * swap per segment; 0 swaps exactly what is needed). {@code maxFeeSats = 0} turns swapping off.
 */
public record SwapCaps(long maxFeeSats, long maxFeePpm, long floatSats) {
  public SwapCaps {
    if (maxFeeSats < 0 || maxFeePpm < 0 || floatSats < 0) {
      throw new IllegalArgumentException("[paid-blobs.client] swap caps must not be negative");
    }
  }

  public static SwapCaps defaults() {
    return from(ConfigSection.of("paid-blobs.client", MissingNode.getInstance()));
  }

  /** Reads {@code max_swap_fee_sats} (10), {@code max_swap_fee_ppm} (50000) and {@code swap_float_sats} (0). */
  public static SwapCaps from(ConfigSection client) {
    return new SwapCaps(client.longInteger("max_swap_fee_sats", 10, 0), client.longInteger("max_swap_fee_ppm", 50_000, 0),
        client.longInteger("swap_float_sats", 0, 0));
  }

  /** The most a swap moving {@code amount} may cost: both caps hold. */
  long maxFeeFor(long amount) {
    return Math.min(maxFeeSats, Math.multiplyExact(amount, maxFeePpm) / 1_000_000);
  }
}
