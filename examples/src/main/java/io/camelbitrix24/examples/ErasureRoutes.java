package io.camelbitrix24.examples;

import java.util.List;
import java.util.Map;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ChoiceDefinition;

/**
 * Erasure (a GDPR request, a CRM clean-up): a file in {@code inbox/} ({@code .txt}) lists what to erase, one request
 * per line, fields separated by blanks; blank lines and lines starting with {@code #} are skipped:
 * <pre>
 * contact 12             delete contact 12; lead, deal, company, quote and activity alike
 * item 1038 5            delete item 5 of entity type 1038 (a smart process; 31 for smart invoices, ...)
 * deal-contact 7 12      unbind contact 12 from deal 7; lead-contact and company-contact alike
 * contact-company 12 3   unbind company 3 from contact 12
 * deal-contact 7 all     unbind every contact from deal 7; lead-, company-contact and contact-company alike
 * </pre>
 * A content-based router sends each line to its endpoint with the line's fields in the headers; a line of no form
 * fails with the reason, and never reaches Bitrix24. Every endpoint has {@code notFoundIsSuccess}: an erasure is done
 * once the record is gone, however often it is asked for, so a record already gone is reported, not a failure.
 * <p>
 * Each line ends in exactly one of two files: {@code done/<name>.outcomes.tsv}, the line, a tab, then {@code deleted},
 * {@code already gone}, {@code unbound} or {@code not bound}; or the dead letters,
 * {@code error/<name>.dead-letters.tsv}, the line, a tab, the exception's simple class name and message, ready to fix
 * and drop again. The request file itself moves to {@code done/} once read. {@code erasure.camel.yaml} is the same
 * route in YAML.
 */
public class ErasureRoutes extends RouteBuilder {

    static final String OUTCOMES = "file:{{example.dir}}/inbox/done?fileName=${file:onlyname.noext}.outcomes.tsv"
                                   + "&fileExist=Append&appendChars=\\n";
    static final String DEAD_LETTERS = "file:{{example.dir}}/inbox/error"
                                       + "?fileName=${file:onlyname.noext}.dead-letters.tsv&fileExist=Append&appendChars=\\n";
    /** Erasure is idempotent: a record already gone (or an owner already gone) is done, with result false. */
    private static final String IDEMPOTENT = "?notFoundIsSuccess=true";

    /** The fields of a request line, once its blanks are normalized to single spaces: the kind, then one or two. */
    private static final String FIRST = "${body.split(' ')[1]}";
    private static final String SECOND = "${body.split(' ')[2]}";

    /** The result is true when something was deleted or unbound, false when there was nothing to do. */
    private static final String DELETED = "${exchangeProperty.line}\t"
                                          + "${iif(${header.CamelBitrix24CrmResult} == true,deleted,already gone)}";
    private static final String UNBOUND = "${exchangeProperty.line}\t"
                                          + "${iif(${header.CamelBitrix24CrmResult} == true,unbound,not bound)}";
    private static final String FAILED = "${exchangeProperty.line}\t"
                                         + "${exception.class.simpleName}: ${exception.message}";
    /** Why a line of no form fails. */
    private static final String NO_FORM = "Not an erasure request: the forms are"
                                          + " '<contact|lead|deal|company|quote|activity> <id>',"
                                          + " 'item <entityTypeId> <id>',"
                                          + " '<deal|lead|company>-contact <id> <contact id>|all' and"
                                          + " 'contact-company <id> <company id>|all'. Nothing was sent to Bitrix24.";

    /** The records a line deletes by kind and id: {@code deal 7}. */
    private static final List<String> RECORDS = List.of("contact", "lead", "deal", "company", "quote", "activity");
    /** The bindings a line removes, and the header of the bound record's id: {@code deal-contact 7 12}. */
    private static final Map<String, String> BINDINGS = Map.of(
            "deal-contact", Bitrix24CrmConstants.CONTACT_ID, "lead-contact", Bitrix24CrmConstants.CONTACT_ID,
            "company-contact", Bitrix24CrmConstants.CONTACT_ID, "contact-company", Bitrix24CrmConstants.COMPANY_ID);

    @Override
    public void configure() {
        ChoiceDefinition forms = from("file:{{example.dir}}/inbox?include=.*\\.txt&move=done&moveFailed=error")
                .routeId("erasure")
                .log("${header.CamelFileName}: erasing what it lists")
                .split(body().tokenize("\n"))
                    .setBody(simple("${normalizeWhitespace()}"))
                    .filter(simple("${body} != '' && ${body} !startsWith '#'"))
                    .setProperty("line", body())
                    .doTry()
                        .choice();
        for (String kind : RECORDS) {
            // <kind> <id>
            forms.when(simple("${body} regex '" + kind + " [0-9]+'"))
                    .setHeader(Bitrix24CrmConstants.ID, simple(FIRST))
                    .to("bitrix24-crm:" + kind + "/delete" + IDEMPOTENT);
        }
        // any type by its entityTypeId: item <entityTypeId> <id>
        forms.when(simple("${body} regex 'item [0-9]+ [0-9]+'"))
                .setHeader(Bitrix24CrmConstants.ENTITY_TYPE_ID, simple(FIRST))
                .setHeader(Bitrix24CrmConstants.ID, simple(SECOND))
                .to("bitrix24-crm:item/delete" + IDEMPOTENT);
        BINDINGS.forEach((binding, boundHeader) -> forms
                // one binding: <owner>-<bound> <owner id> <bound id>
                .when(simple("${body} regex '" + binding + " [0-9]+ [0-9]+'"))
                    .setHeader(Bitrix24CrmConstants.ID, simple(FIRST))
                    .setHeader(boundHeader, simple(SECOND))
                    .to("bitrix24-crm:" + binding + "/delete" + IDEMPOTENT)
                // every binding of an owner: <owner>-<bound> <owner id> all
                .when(simple("${body} regex '" + binding + " [0-9]+ all'"))
                    .setHeader(Bitrix24CrmConstants.ID, simple(FIRST))
                    .to("bitrix24-crm:" + binding + "/items-delete" + IDEMPOTENT));
        forms.otherwise()
                        .throwException(IllegalArgumentException.class, NO_FORM)
                    .end()
                    // only the binding forms have a dash
                    .choice()
                        .when(simple("${exchangeProperty.line} contains '-'"))
                            .setBody(simple(UNBOUND))
                        .otherwise()
                            .setBody(simple(DELETED))
                    .endDoTry() // the choice, back in the doTry
                    .to(OUTCOMES)
                .doCatch(Exception.class)
                    .setBody(simple(FAILED))
                    .log("${header.CamelFileName}: ${exchangeProperty.line} failed: ${exception.message}")
                    .to(DEAD_LETTERS)
                .end() // doTry
                .end() // filter
            .end() // split
            .log("${header.CamelFileName}: done");
    }
}
