package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archy.config.ConfigException;
import archy.config.ConfigSection;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricesTest {
  @Test
  void pricesAreSatsPerMillionBytesRoundedInTheNodesFavourOnlyForRequests() {
    assertEquals(1, Prices.satsFor(1, 1), "at least one sat");
    assertEquals(3, Prices.satsFor(2_500_000, 1), "2.5 MB at 1 sat/MB rounds up");
    assertEquals(2500, Prices.satsFor(2_500_000, 1000));
    assertEquals(2_000_000, Prices.bytesFor(2, 1), "credit: sats × 10^6 / price");
    assertEquals(333_333, Prices.bytesFor(1, 3), "rounded down");
    assertEquals(0, Prices.bytesFor(0, 1));
    assertEquals(Long.MAX_VALUE / 2, Prices.bytesFor(Long.MAX_VALUE, 1), "no overflow");
  }

  @Test
  void scopeOverridesWinOverTheServicePrice() {
    Prices p = new Prices(Map.of("content-download", 1L), Map.of("content-download", Map.of("film-x", 7L)));
    assertEquals(7, p.satsPerMb("content-download", "film-x"));
    assertEquals(1, p.satsPerMb("content-download", "film-y"));
    assertEquals(1, p.satsPerMb("content-download", null));
    p.set("content-download", "film-y", 3L);
    assertEquals(3, p.satsPerMb("content-download", "film-y"));
    p.set("content-download", "film-y", null);
    assertEquals(1, p.satsPerMb("content-download", "film-y"));
    assertThrows(IllegalArgumentException.class, () -> p.satsPerMb("nope", null));
    assertThrows(IllegalArgumentException.class, () -> p.set("content-download", "z", -1L));
  }

  @Test
  void configReadsEveryKeyWithDefaults() throws Exception {
    GateConfig d = GateConfig.defaults();
    assertEquals(List.of(), d.mints());
    assertEquals(true, d.failOpen());
    // paid-streams is not configurable: each stream carries its price in its offer, so its sessions count sats.
    assertEquals(Map.of("content-download", 1L, "relay-bandwidth", 2L, "paid-streams", PaymentGate.ONE_SAT_PER_BYTE),
        d.prices());
    GateConfig c = GateSetup.config("""
        mints = ["https://mint.example/"]
        fail_open = false
        max_token_bytes = 8192
        [prices]
        content-download = 4
        [scope_prices.content-download]
        "film-a" = 9
        """);
    assertEquals(List.of("https://mint.example/"), c.mints());
    assertEquals(false, c.failOpen());
    assertEquals(8192, c.maxTokenChars());
    assertEquals(4L, c.prices().get("content-download"));
    assertEquals(2L, c.prices().get("relay-bandwidth"));
    assertEquals(Map.of("film-a", 9L), c.scopePrices().get("content-download"));
    assertThrows(IllegalArgumentException.class, () -> GateSetup.config("fail_open = \"yes\""));
    assertEquals("ecash-gate.prices.content-download must be a whole number, 0 or more, got -1",
        assertThrows(ConfigException.class, () -> GateSetup.config("[prices]\ncontent-download = -1")).getMessage());
    assertEquals("ecash-gate.mints: 'mint.example': mint URL must be http or https",
        assertThrows(ConfigException.class, () -> GateSetup.config("mints = [\"mint.example\"]")).getMessage());
    assertEquals("unknown section [ecash-gate.scope_prices.content-downloads]; did you mean"
        + " [ecash-gate.scope_prices.content-download]?", assertThrows(ConfigException.class,
            () -> GateSetup.config("[scope_prices.content-downloads]\n\"film\" = 3")).getMessage());
  }

  @Test
  void aMistypedServicePriceIsAnUnknownKey() throws Exception {
    ConfigSection section = ConfigSection.of(GateConfig.SECTION,
        new TomlMapper().readTree("[prices]\ncontent-downlod = 3\n"));
    GateConfig.from(section);
    assertEquals(List.of("unknown key ecash-gate.prices.content-downlod; did you mean"
        + " ecash-gate.prices.content-download?"), section.unknownKeys());
  }
}
