package dev.chat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one server of a cluster run did during the measured part of a scenario: its clients, the
 * deliveries they received, and the CPU it used for them; so a cluster's cost can be told node
 * by node beside the sum.
 */
record NodeLoad(String name, int clients, long deliveries, double cpuSeconds) {

    /** CPU seconds per million deliveries to this node's clients, i.e. µs per delivery; NaN when none. */
    double cpuPerMillion() {
        return deliveries > 0 ? cpuSeconds / deliveries * 1e6 : Double.NaN;
    }

    /** The loads of the target's nodes, from per-node counts and CPU seconds before and after. */
    static List<NodeLoad> of(Target target, int[] clients, long[] deliveries, double[] cpuBefore, double[] cpuAfter) {
        List<NodeLoad> loads = new ArrayList<>();
        for (int i = 0; i < target.nodes().size(); i++) {
            loads.add(new NodeLoad(target.nodes().get(i).name(), clients[i], deliveries[i], cpuAfter[i] - cpuBefore[i]));
        }
        return loads;
    }

    /** One line of the human report, e.g. {@code   node bench-1  34 clients  …}. */
    String text() {
        return String.format(Locale.ROOT, "  node %-15s %,d clients, %,d deliveries, CPU %.2f s = %.3f s per million%n",
                name, clients, deliveries, cpuSeconds, cpuPerMillion());
    }

    /** This node's key=value pairs of the RESULT line, keys numbered from 1 by {@code number}. */
    String result(int number) {
        return String.format(Locale.ROOT, " node%d=%s node%d_clients=%d node%d_deliveries=%d node%d_cpu_s=%.2f "
                        + "node%d_cpu_s_per_m=%.3f", number, name, number, clients, number, deliveries, number,
                cpuSeconds, number, cpuPerMillion());
    }
}
