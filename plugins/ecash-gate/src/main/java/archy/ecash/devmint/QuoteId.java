package archy.ecash.devmint;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Quote ids as NUT-04/05 ask: UUID v7 with all 74 variable bits from a CSPRNG. A mint quote id is a bearer
 * secret (whoever knows it can mint the paid ecash unless NUT-20 locks it), so it must not be guessable.
 */
final class QuoteId {
  private static final SecureRandom RANDOM = new SecureRandom();

  private QuoteId() {}

  static String next(Instant now) {
    long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
    long high = (millis << 16) | 0x7000L | (RANDOM.nextLong() & 0x0FFFL);
    long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
