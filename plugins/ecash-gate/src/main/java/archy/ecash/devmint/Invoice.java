package archy.ecash.devmint;

import archy.ecash.lightning.Bolt11;

/** An invoice a {@link LightningNode} issued: the BOLT11 string to hand out and its decoded fields. */
public record Invoice(String request, Bolt11 bolt11) {
  public String paymentHash() {
    return bolt11.paymentHash();
  }

  public long amountSat() {
    return bolt11.amountSat();
  }
}
