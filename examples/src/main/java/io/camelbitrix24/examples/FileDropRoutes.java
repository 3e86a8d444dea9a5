package io.camelbitrix24.examples;

import io.camelbitrix24.crm.Bitrix24Exception;
import org.apache.camel.builder.RouteBuilder;

/**
 * File drop: a file in {@code inbox/} lists leads to delete, one per line: a plain id ({@code .csv}) or a JSON object
 * ({@code .jsonl}, {@code {"id": 5}}). Each line's outcome is appended to {@code done/<name>.results.tsv}, next to the
 * file once it is moved there; failed lines also go to {@code error/<name>.failed.tsv}, ready to fix and drop again. A
 * file that cannot be read at all is moved to {@code error/}. {@code file-drop.camel.yaml} is the same route in YAML.
 */
public class FileDropRoutes extends RouteBuilder {

    static final String RESULTS = "file:{{example.dir}}/inbox/done?fileName=${file:onlyname.noext}.results.tsv"
                                  + "&fileExist=Append&appendChars=\\n";
    static final String FAILED = "file:{{example.dir}}/inbox/error?fileName=${file:onlyname.noext}.failed.tsv"
                                 + "&fileExist=Append&appendChars=\\n";

    @Override
    public void configure() {
        from("file:{{example.dir}}/inbox?include=.*\\.(csv|jsonl)&move=done&moveFailed=error")
                .routeId("file-drop")
                .log("${header.CamelFileName}: deleting the leads it lists")
                .split(body().tokenize("\n"))
                    .setBody(simple("${body.trim()}"))
                    .filter(simple("${body} != '' && ${body} != 'id'"))
                    .setProperty("line", body())
                    .doTry()
                        .to("bitrix24-crm:lead/delete")
                        .setBody(simple("${exchangeProperty.line}\tdeleted=${header.CamelBitrix24CrmResult}"))
                        .to(RESULTS)
                    .doCatch(Bitrix24Exception.class)
                        .setBody(simple("${exchangeProperty.line}\tfailed\t${exception.class.simpleName}: ${exception.message}"))
                        .log("${header.CamelFileName}: ${exchangeProperty.line} failed: ${exception.message}")
                        .to(RESULTS)
                        .to(FAILED)
                    .end() // doTry
                    .end() // filter
                .end() // split
                .log("${header.CamelFileName}: done");
    }
}
