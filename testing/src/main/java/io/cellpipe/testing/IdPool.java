package io.cellpipe.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/** The ids of one table's live rows as the workload knows them, to pick rows to update, delete or refer to. */
final class IdPool {
    private final List<Long> ids = new ArrayList<>();

    void add(long id) {
        ids.add(id);
    }

    void replaceWith(List<Long> current) {
        ids.clear();
        ids.addAll(current);
    }

    boolean isEmpty() {
        return ids.isEmpty();
    }

    List<Long> all() {
        return List.copyOf(ids);
    }

    OptionalLong pick(RandomGenerator random) {
        return ids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ids.get(random.nextInt(ids.size())));
    }

    /** Removes a random id in O(1) by moving the last one into its place; the order stays a function of the seed. */
    OptionalLong take(RandomGenerator random) {
        if (ids.isEmpty()) {
            return OptionalLong.empty();
        }
        int index = random.nextInt(ids.size());
        long id = ids.get(index);
        ids.set(index, ids.get(ids.size() - 1));
        ids.remove(ids.size() - 1);
        return OptionalLong.of(id);
    }
}
