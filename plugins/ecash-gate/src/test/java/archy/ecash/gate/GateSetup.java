package archy.ecash.gate;

import archy.config.ConfigSection;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.wallet.Wallet;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.time.Clock;
import java.util.List;

/** A gate on a real database and the dev mint, configured from TOML as an operator would. */
final class GateSetup {
  private GateSetup() {}

  static GateConfig config(String toml) throws Exception {
    return GateConfig.from(ConfigSection.of(GateConfig.SECTION, new TomlMapper().readTree(toml)));
  }

  /** {@code content-download} at 1000 sat/MB (1 sat buys 1000 bytes), {@code relay-bandwidth} at 2000. */
  static GateConfig config(List<String> mints, boolean failOpen) throws Exception {
    StringBuilder m = new StringBuilder();
    for (String url : mints) m.append(m.isEmpty() ? "" : ", ").append('"').append(url).append('"');
    return config("mints = [" + m + "]\nfail_open = " + failOpen + "\nretry_seconds = 1\n"
        + "[prices]\ncontent-download = 1000\nrelay-bandwidth = 2000\n");
  }

  static EcashPaymentGate gate(TestDb db, GateConfig config, Clock clock) throws Exception {
    Wallet wallet = Wallet.open(db.db, TestMint.mints(config.mints()), clock);
    return new EcashPaymentGate(db.db, wallet, config, clock);
  }
}
