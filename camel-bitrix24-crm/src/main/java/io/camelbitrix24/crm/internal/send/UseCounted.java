package io.camelbitrix24.crm.internal.send;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Values shared by key among their users and counted: the first user's {@code make} makes one, the last user's release
 * drops it. A value the first predicate no longer accepts is replaced for its next user; its earlier users still hold
 * the old one, and their releases count for nothing.
 */
public final class UseCounted<K, V> {

    private static final class Entry<V> {
        final V value;
        int users;

        Entry(V value) {
            this.value = value;
        }
    }

    /** Makes a value, possibly failing (a transport's TLS set-up). */
    public interface Maker<V> {
        V make() throws Exception;
    }

    private final Map<K, Entry<V>> entries = new HashMap<>();

    /** As {@link #acquire(Object, Supplier)}, with a maker that may fail: then nothing is kept or counted. */
    public synchronized V acquireMade(K key, Maker<V> make) throws Exception {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            entry = new Entry<>(make.make());
            entries.put(key, entry);
        }
        entry.users++;
        return entry.value;
    }

    public synchronized V acquire(K key, Predicate<V> current, Supplier<V> make) {
        Entry<V> entry = entries.get(key);
        if (entry == null || !current.test(entry.value)) {
            entry = new Entry<>(make.get());
            entries.put(key, entry);
        }
        entry.users++;
        return entry.value;
    }

    public synchronized V acquire(K key, Supplier<V> make) {
    return acquire(key, value -> true, make);
    }

    /** One user of the value {@code held} accepts is done with it; dropped with its last user. */
    public synchronized void release(K key, Predicate<V> held) {
        Entry<V> entry = entries.get(key);
        if (entry != null && held.test(entry.value) && --entry.users == 0) {
            entries.remove(key);
        }
    }

    /**
     * One user of {@code value}, under whatever key, is done with it: true when that was its last user and it is
     * dropped (the caller then closes it).
     */
    public synchronized boolean release(V value) {
        for (java.util.Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext();) {
            Entry<V> entry = it.next();
            if (entry.value == value) {
                if (--entry.users == 0) {
                    it.remove();
                    return true;
                }
                return false;
            }
        }
        return false;
    }

    /** Runs {@code action} on each value whose key {@code keys} accepts. */
    public synchronized void forEach(Predicate<K> keys, java.util.function.Consumer<V> action) {
        entries.forEach((key, entry) -> {
            if (keys.test(key)) {
                action.accept(entry.value);
            }
        });
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
