package archy.paidblobs.client;

import java.util.List;
import java.util.Optional;

/** Where the auto-pay client's ecash comes from: a token of exactly {@code sats} from one of {@code mints}. */
@FunctionalInterface
public interface TokenSource {
  /**
   * A serialized token ({@code cashuB…}) worth {@code sats} from one of the accepted mints.
   *
   * @throws PaymentRefusedException when no accepted mint holds enough
   */
  String token(List<String> mints, long sats) throws Exception;

  /**
   * As {@link #token(List, long)}, charging what getting the token costs beyond {@code sats} (a swap's fee) to
   * {@code fees} first, so it counts against the payer's caps.
   */
  default String token(List<String> mints, long sats, FeeBudget fees) throws Exception {
    return token(mints, sats);
  }

  /**
   * As {@link #token(List, long, FeeBudget)}, with {@code note} saying what the token pays for and to whom
   * ({@code "payment to quic://h:p for blake3:…"}): a wallet keeps it in its history, so the payer's spend is on
   * record whatever the transport.
   */
  default String token(List<String> mints, long sats, FeeBudget fees, String note) throws Exception {
    return token(mints, sats, fees);
  }

  /** The payer's caps, for costs on top of a payment. */
  interface FeeBudget {
    FeeBudget UNLIMITED = new FeeBudget() {
      @Override
      public Optional<String> reserve(long sats) {
        return Optional.empty();
      }

      @Override
      public void release(long sats) {}
    };

    /** Reserves {@code sats} more against the caps; empty when reserved, else why not. */
    Optional<String> reserve(long sats);

    /** Gives back {@code sats} of a reservation that was not spent. */
    void release(long sats);
  }
}
