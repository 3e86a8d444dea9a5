package io.camelbitrix24.crm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.camelbitrix24.emulator.Bitrix24Cloud;

/** The portal registry a user would bind, the SPI over a map; filled as an install handler would fill it. */
final class MapPortalRegistry implements Bitrix24PortalRegistry {

    private final Map<String, Bitrix24Installation> installations = new ConcurrentHashMap<>();

    /** Every portal of {@code cloud} installed: its event's member_id, tokens and application_token. */
    static MapPortalRegistry installedOn(Bitrix24Cloud cloud) {
        MapPortalRegistry registry = new MapPortalRegistry();
        for (int i = 0; i < cloud.portals().size(); i++) {
            Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(i));
            registry.save(new Bitrix24Installation(installed.memberId(), cloud.portal(i).restUrl(),
                    new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()), installed.applicationToken(),
                    null));
        }
        return registry;
    }

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
