package archy.paidblobs.client;

import java.util.List;

/** Where the auto-pay client's ecash comes from: a token of exactly {@code sats} from one of {@code mints}. */
@FunctionalInterface
public interface TokenSource {
  /**
   * A serialized token ({@code cashuB…}) worth {@code sats} from one of the accepted mints.
   *
   * @throws PaymentRefusedException when no accepted mint holds enough
   */
  String token(List<String> mints, long sats) throws Exception;
}
