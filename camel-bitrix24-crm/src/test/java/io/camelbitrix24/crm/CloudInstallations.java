package io.camelbitrix24.crm;

import io.camelbitrix24.crm.internal.portal.InMemoryPortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;

/** Many-portal tests against an emulated cloud: the component, and a registry filled as an install handler fills it. */
final class CloudInstallations {

    private CloudInstallations() {
    }

    /** A component serving many portals with the cloud's application and OAuth server, over plain HTTP. */
    static Bitrix24CrmComponent component(Bitrix24Cloud cloud, Bitrix24PortalRegistry registry) {
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        component.getConfiguration().setClientId(cloud.clientId());
        component.getConfiguration().setClientSecret(cloud.clientSecret());
        component.getConfiguration().setOauthServerUrl(cloud.oauthServerUrl());
        component.getConfiguration().setPortalRegistry(registry);
        component.getConfiguration().setAllowInsecureHttp(true);
        return component;
    }

    /** Every portal of {@code cloud} installed: its event's member_id, tokens and application_token. */
    static Bitrix24PortalRegistry installedOn(Bitrix24Cloud cloud) {
        return installedOn(cloud, java.util.function.UnaryOperator.identity());
    }

    /** As {@link #installedOn(Bitrix24Cloud)}, each portal's REST address as {@code endpoint} makes it of its own. */
    static Bitrix24PortalRegistry installedOn(Bitrix24Cloud cloud, java.util.function.UnaryOperator<String> endpoint) {
        Bitrix24PortalRegistry registry = new InMemoryPortalRegistry();
        for (int i = 0; i < cloud.portals().size(); i++) {
            Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(i));
            registry.save(new Bitrix24Installation(installed.memberId(), endpoint.apply(cloud.portal(i).restUrl()),
                    new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()), installed.applicationToken(),
                    null));
        }
        return registry;
    }
}
