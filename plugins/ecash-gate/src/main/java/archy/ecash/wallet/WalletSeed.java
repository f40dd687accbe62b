package archy.ecash.wallet;

import archy.ecash.Db;
import archy.nostr.Hex;
import java.security.SecureRandom;
import java.sql.SQLException;

/**
 * The wallet's NUT-13 seed, kept in the database ({@code ecash_gate_wallet}) so that every process sharing it
 * derives the same outputs and any of them can restore what another lost. Made from 64 CSPRNG bytes on first
 * use; whoever inserts first wins.
 */
public final class WalletSeed {
  private WalletSeed() {}

  public static DeterministicSecrets loadOrCreate(Db db) throws SQLException {
    byte[] fresh = new byte[64];
    new SecureRandom().nextBytes(fresh);
    String seed = db.tx(c -> {
      Db.update(c, "INSERT INTO ecash_gate_wallet (id, seed) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
          Hex.encode(fresh));
      return Db.one(c, "SELECT seed FROM ecash_gate_wallet WHERE id = 1", rs -> rs.getString(1)).orElseThrow();
    });
    return DeterministicSecrets.fromSeed(Hex.decode(seed));
  }
}
