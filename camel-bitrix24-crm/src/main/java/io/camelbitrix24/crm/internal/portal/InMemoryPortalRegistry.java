package io.camelbitrix24.crm.internal.portal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;

/** The default portal registry: installations in memory, lost on a restart (the component warns once at start). */
public final class InMemoryPortalRegistry implements Bitrix24PortalRegistry {

    private final Map<String, Bitrix24Installation> installations = new ConcurrentHashMap<>();

    @Override
    public Bitrix24Installation find(String memberId) {
        return installations.get(memberId);
    }

    @Override
    public void save(Bitrix24Installation installation) {
        installations.put(installation.getMemberId(), installation);
    }

    @Override
    public void remove(String memberId) {
        installations.remove(memberId);
    }
}
