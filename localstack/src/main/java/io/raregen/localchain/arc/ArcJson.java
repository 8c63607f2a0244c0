package io.raregen.localchain.arc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.localchain.ArcErrorCode;
import io.raregen.localchain.TxView;
import io.raregen.localchain.ledger.SubmitOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * ARC's JSON shapes, written with the streaming generator (a 500-transaction answer is built
 * for every batch, so no tree is materialised). Unmined transactions carry ARC's empty values:
 * {@code blockHash ""}, {@code blockHeight 0}, {@code merklePath ""}, {@code competingTxs null}.
 */
final class ArcJson {
    private final ObjectMapper json;

    ArcJson(ObjectMapper json) {
        this.json = json;
    }

    byte[] transactionResponse(TxView v) {
        return write(g -> writeTxResponse(g, v));
    }

    byte[] transactionStatus(TxView v) {
        return write(g -> {
            g.writeStartObject();
            writeStatusFields(g, v);
            g.writeEndObject();
        });
    }

    byte[] problem(ArcErrorCode code, int status, String detail, String txid, String instance) {
        return write(g -> writeProblem(g, code, status, detail, txid, instance));
    }

    byte[] batch(List<SubmitOutcome> successesThenFailures) {
        return write(g -> {
            g.writeStartArray();
            for (SubmitOutcome o : successesThenFailures) {
                if (o.isError()) {
                    writeProblem(g, o.error(), o.error().status(), o.detail(), o.txid(), null);
                } else {
                    writeTxResponse(g, o.view());
                }
            }
            g.writeEndArray();
        });
    }

    private static void writeTxResponse(JsonGenerator g, TxView v) throws IOException {
        g.writeStartObject();
        writeStatusFields(g, v);
        g.writeNumberField("status", 200);
        g.writeStringField("title", "OK");
        g.writeEndObject();
    }

    private static void writeStatusFields(JsonGenerator g, TxView v) throws IOException {
        g.writeStringField("blockHash", v.blockHash() == null ? "" : v.blockHash());
        g.writeNumberField("blockHeight", v.blockHeight() == null ? 0 : v.blockHeight());
        if (v.competingTxs().isEmpty()) {
            g.writeNullField("competingTxs");
        } else {
            g.writeArrayFieldStart("competingTxs");
            for (String c : v.competingTxs()) {
                g.writeString(c);
            }
            g.writeEndArray();
        }
        g.writeStringField("extraInfo", v.extraInfo() == null ? "" : v.extraInfo());
        g.writeStringField("merklePath", v.merklePath() == null ? "" : v.merklePath());
        g.writeStringField("timestamp", v.timestamp().toString());
        g.writeStringField("txStatus", v.status().name());
        g.writeStringField("txid", v.txid());
    }

    private static void writeProblem(JsonGenerator g, ArcErrorCode code, int status, String detail, String txid,
                                     String instance) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", code.type());
        g.writeStringField("title", code.title());
        g.writeNumberField("status", status);
        g.writeStringField("detail", detail);
        if (instance == null) {
            g.writeNullField("instance");
        } else {
            g.writeStringField("instance", instance);
        }
        if (txid == null) {
            g.writeNullField("txid");
        } else {
            g.writeStringField("txid", txid);
        }
        g.writeStringField("extraInfo", detail);
        g.writeEndObject();
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] value(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
