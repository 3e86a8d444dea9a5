package io.camelbitrix24.examples.manyportals;

import org.apache.camel.builder.RouteBuilder;

/**
 * The install and uninstall handlers Bitrix24 posts to, and a delete that names its portal:
 * {@code DELETE /portals/{memberId}/leads/{id}}. docs/authentication.md and the component page show the part between
 * the tags.
 */
public class ManyPortalsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // tag::routes[]
        // Bitrix24 posts ONAPPINSTALL and ONAPPUNINSTALL once, as a form: 200 when done, 400 or 403 when refused
        from("platform-http:/bitrix24/install?httpMethodRestrict=POST")
            .to("bitrix24-crm:app/install");
        from("platform-http:/bitrix24/uninstall?httpMethodRestrict=POST")
            .to("bitrix24-crm:app/uninstall");

        // each delete names its portal by member_id; no other header from outside reaches the component
        from("platform-http:/portals/{memberId}/leads/{id}?httpMethodRestrict=DELETE")
            .setHeader("CamelBitrix24CrmPortal", header("memberId"))
            .setBody(header("id"))
            .removeHeaders("*", "CamelBitrix24CrmPortal")
            .to("bitrix24-crm:lead/delete?notFoundIsSuccess=true")
            .setBody(simple("deleted=${body}"));
        // end::routes[]
    }
}
