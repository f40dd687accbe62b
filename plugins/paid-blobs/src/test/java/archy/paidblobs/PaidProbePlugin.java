package archy.paidblobs;

import archy.ecash.gate.PaymentGate;
import archy.ecash.wallet.Wallet;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test plugin started after paid-blobs: it looks up the gate and the node's wallet, and counts the bytes
 * Blossom actually sent for every GET (the {@code onBlobServed} metering the ledger must agree with).
 */
public final class PaidProbePlugin implements RelayPlugin {
  static volatile PaymentGate gate;
  static volatile Wallet wallet;
  static final AtomicLong bytesServed = new AtomicLong();
  /** Per node (by node pubkey), for tests that run several nodes in one JVM. */
  static final Map<String, PaymentGate> gates = new ConcurrentHashMap<>();
  static final Map<String, Wallet> wallets = new ConcurrentHashMap<>();
  /** Per node, {@code <key> <blake3>} for each blob its GETs (HTTP with a BUD-11 token, QUIC §5.0) sent that key. */
  static final Map<String, Set<String>> servedTo = new ConcurrentHashMap<>();
  /** How many times each {@code <node> <key> <blake3>} of {@link #servedTo} was served. */
  static final Map<String, AtomicInteger> serves = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "paid-probe";
  }

  @Override
  public void install(PluginContext ctx) {
    gate = ctx.services().find(PaymentGate.class).orElseThrow();
    wallet = ctx.services().find(Wallet.class).orElseThrow();
    gates.put(ctx.nodeKeys().publicKeyHex(), gate);
    wallets.put(ctx.nodeKeys().publicKeyHex(), wallet);
    Set<String> to = servedTo.computeIfAbsent(ctx.nodeKeys().publicKeyHex(), k -> ConcurrentHashMap.newKeySet());
    ctx.hooks().onBlobServed((get, sent) -> {
      bytesServed.addAndGet(sent);
      get.origin().authedPubkeys().forEach(key -> {
        to.add(key + " " + get.blob().blake3());
        serves.computeIfAbsent(ctx.nodeKeys().publicKeyHex() + " " + key + " " + get.blob().blake3(),
            k -> new AtomicInteger()).incrementAndGet();
      });
    });
  }
}
