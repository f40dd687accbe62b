package archy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/**
 * The {@code onServed} contract a paid policy's reservation relies on: every allow is ended exactly once, with 0
 * when a later policy refuses, and a callback that throws neither stops the others nor escapes the meter.
 */
class GetCallbacksTest {
  private final BlobGet get = new BlobGet(new BlobInfo("ab".repeat(32), "cd".repeat(32), 100, "video/mp2t", 0), 0, 100,
      false, false, HttpFields.EMPTY, Origin.client("127.0.0.1", Set.of()));

  @Test
  void anAllowFollowedByARefusalIsToldZeroAtOnce() {
    List<String> told = new CopyOnWriteArrayList<>();
    Hooks hooks = new Hooks();
    hooks.rejectGet(g -> BlobVerdict.allow(Map.of(), bytes -> told.add("paid:" + bytes)));
    hooks.rejectGet(g -> BlobVerdict.deny(403, "no"));
    assertInstanceOf(BlobVerdict.Deny.class, hooks.checkGet(get));
    assertEquals(List.of("paid:0"), told, "the reservation is released");
  }

  @Test
  void aThrowingCallbackDoesNotSkipTheOthersNorEscape() {
    List<String> told = new CopyOnWriteArrayList<>();
    Hooks hooks = new Hooks();
    hooks.rejectGet(g -> BlobVerdict.allow(Map.of(), bytes -> {
      throw new IllegalStateException("database down");
    }));
    hooks.rejectGet(g -> BlobVerdict.allow(Map.of(), bytes -> told.add("settled:" + bytes)));
    BlobVerdict.Allow allow = assertInstanceOf(BlobVerdict.Allow.class, hooks.checkGet(get));
    DeliveryMeter meter = new DeliveryMeter(allow.onServed());
    meter.handed(40);
    meter.handed(60);
    meter.end();
    meter.end();
    assertEquals(List.of("settled:100"), told, "told once, with every byte handed over");
  }
}
