package dev.panic.internal.analysis;

import java.util.Arrays;

/**
 * Agglomerative clustering with average linkage on a similarity matrix, cut where the average
 * similarity between two clusters falls below a threshold.
 *
 * <p>Uses the nearest-neighbour chain algorithm: follow each cluster to its most similar one until
 * two clusters are each other's best, merge them, go on. Average linkage is reducible (a merge never
 * brings a cluster closer to a third than the nearer of its parts was), so the chain finds the same
 * dendrogram as the naive search for the best pair, in O(n^2) time instead of O(n^3), with an n x n
 * matrix updated by the Lance–Williams formula. For the same reason every merge under a kept merge
 * was at least as similar, so cutting is keeping the merges at or above the threshold.
 */
public final class AverageLinkage {

    private AverageLinkage() {
    }

    /**
     * Clusters {@code n} items.
     *
     * @param similarity a symmetric n x n matrix (it is copied)
     * @param threshold  the least average similarity for two clusters to merge
     * @return a cluster label per item: 0, 1, 2... in order of each cluster's first item
     */
    public static int[] cluster(double[][] similarity, double threshold) {
        int n = similarity.length;
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        if (n > 1) {
            double[][] s = new double[n][];
            for (int i = 0; i < n; i++) {
                s[i] = similarity[i].clone();
                for (int j = 0; j < n; j++) {
                    if (Double.isNaN(s[i][j])) {
                        s[i][j] = -2; // cannot be compared: less similar than anything that can
                    }
                }
            }
            int[] size = new int[n];
            Arrays.fill(size, 1);
            boolean[] active = new boolean[n];
            Arrays.fill(active, true);
            int[] chain = new int[n];
            int top = 0;
            for (int remaining = n; remaining > 1; ) {
                if (top == 0) {
                    chain[top++] = firstActive(active);
                }
                int a = chain[top - 1];
                int previous = top >= 2 ? chain[top - 2] : -1;
                int best = previous;
                double bestSim = previous >= 0 ? s[a][previous] : Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    // Strictly greater: on a tie the previous link is kept, which is what makes the chain end.
                    if (active[k] && k != a && s[a][k] > bestSim) {
                        best = k;
                        bestSim = s[a][k];
                    }
                }
                if (best != previous) {
                    chain[top++] = best;
                    continue;
                }
                top -= 2;
                // Merge "previous" into "a"; a keeps representing the union.
                for (int k = 0; k < n; k++) {
                    if (active[k] && k != a && k != previous) {
                        double merged = (size[a] * s[a][k] + size[previous] * s[previous][k]) / (size[a] + size[previous]);
                        s[a][k] = merged;
                        s[k][a] = merged;
                    }
                }
                size[a] += size[previous];
                active[previous] = false;
                remaining--;
                if (bestSim >= threshold) {
                    union(parent, a, previous);
                }
            }
        }
        int[] labels = new int[n];
        int[] labelOfRoot = new int[n];
        Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            if (labelOfRoot[root] < 0) {
                labelOfRoot[root] = next++;
            }
            labels[i] = labelOfRoot[root];
        }
        return labels;
    }

    private static int firstActive(boolean[] active) {
        for (int i = 0; i < active.length; i++) {
            if (active[i]) {
                return i;
            }
        }
        throw new IllegalStateException("no active cluster");
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }
}
