package archy.ecash;

import archy.ecash.gate.PaymentGate;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;

/** A plugin started after ecash-gate that looks the gate up, as paid-blobs does. */
public final class GateProbePlugin implements RelayPlugin {
  static volatile PaymentGate found;

  @Override
  public String name() {
    return "gate-probe";
  }

  @Override
  public void install(PluginContext ctx) {
    found = ctx.services().find(PaymentGate.class).orElseThrow();
  }
}
