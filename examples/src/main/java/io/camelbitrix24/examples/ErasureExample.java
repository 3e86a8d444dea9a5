package io.camelbitrix24.examples;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import io.camelbitrix24.emulator.PortalData;
import org.apache.camel.main.Main;

/**
 * The erasure example's portal and request file. On top of {@link ExamplePortal}'s leads and contacts: deals 1-3 (deal
 * 1 with contacts 5 and 6, deal 2 with contact 5, deal 3 with contact 6), companies 1 and 2 (company 1 with contacts 5
 * and 6, company 2 with contact 6), quotes 1 and 2, activities 1 and 2, and smart process {@value #SMART_PROCESS} with
 * items 1 and 2.
 */
public final class ErasureExample {

    public static final int SMART_PROCESS = 1038;
    public static final String FILE = "requests.txt";
    /** The YAML twin of {@link ErasureRoutes}, on the class path. */
    public static final String YAML = "classpath:jbang/erasure.camel.yaml";

    /**
     * Contact 5 asks to be forgotten, then a clean-up; two requests for what is already gone, and four lines that fail:
     * a type the portal lacks, an id out of range, and two lines of no form.
     */
    public static final String REQUESTS = """
            # Erasure requests, one per line:
            #   <contact|lead|deal|company|quote|activity> <id>
            #   item <entityTypeId> <id>
            #   <deal|lead|company>-contact <id> <contact id>|all, contact-company <contact id> <company id>|all

            # contact 5 asked to be forgotten: off its deals and company, then deleted
            deal-contact 1 5
            deal-contact 2 5
            company-contact 1 5
            contact 5
            deal-contact 3 5
            contact   5

            # a CRM clean-up
            deal 2
            deal-contact 1 all
            contact-company 6 2
            company 2
            quote 1
            activity 1
            item 1038 1
            item 1040 1
            lead 2
            lead-contact 9 all
            lead-contact 10 3
            deal 99
            deal 0
            contact five
            erase everything
            """;

    private ErasureExample() {
    }

    /** The erasure route, in the Java DSL ({@link ErasureRoutes}) or the YAML DSL ({@value #YAML}). */
    public static void addRoutes(Main main, boolean yaml) {
        if (yaml) {
            main.configure().withRoutesIncludePattern(YAML);
        } else {
            main.configure().addRoutesBuilder(new ErasureRoutes());
        }
    }

    /** Adds the erasure example's records and bindings to a portal that holds {@link ExamplePortal}'s. */
    public static void seed(PortalData data) {
        for (int i = 1; i <= 3; i++) {
            data.addDeal("Deal " + i);
        }
        data.bindDealContact(1, 5);
        data.bindDealContact(1, 6);
        data.bindDealContact(2, 5);
        data.bindDealContact(3, 6);
        data.addCompany("Company 1");
        data.addCompany("Company 2");
        data.bindCompanyContact(1, 5);
        data.bindCompanyContact(1, 6);
        data.bindCompanyContact(2, 6);
        data.addQuote("Quote 1");
        data.addQuote("Quote 2");
        data.addActivity("Call 1");
        data.addActivity("Call 2");
        data.addSmartProcess(SMART_PROCESS);
        data.addItem(SMART_PROCESS, "Item 1");
        data.addItem(SMART_PROCESS, "Item 2");
    }

    /** What is left of the erasure example's records and bindings. */
    public static String state(PortalData data) {
        StringBuilder text = new StringBuilder("deals left");
        for (int deal = 1; deal <= 3; deal++) {
            if (data.hasDeal(deal)) {
                text.append(' ').append(deal).append(" (contacts ").append(data.contactsOfDeal(deal)).append(')');
            }
        }
        text.append(", companies left");
        for (int company = 1; company <= 2; company++) {
            if (data.hasCompany(company)) {
                text.append(' ').append(company).append(" (contacts ").append(data.contactsOfCompany(company))
                        .append(')');
            }
        }
        text.append(", quotes left ").append(left(data::hasQuote, 2)).append(", activities left ")
                .append(left(data::hasActivity, 2)).append(", items of ").append(SMART_PROCESS).append(" left ")
                .append(left(id -> data.hasItem(SMART_PROCESS, id), 2)).append(", companies of contact 6 ")
                .append(data.companiesOfContact(6));
        return text.toString();
    }

    private static List<Integer> left(IntPredicate has, int upTo) {
        return IntStream.rangeClosed(1, upTo).filter(has).boxed().toList();
    }
}
