package dev.stevedore.engine.template;

import dev.stevedore.engine.value.JsonValues;
import freemarker.template.AdapterTemplateModel;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateCollectionModel;
import freemarker.template.TemplateDateModel;
import freemarker.template.TemplateHashModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateModelIterator;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateSequenceModel;
import freemarker.ext.util.WrapperTemplateModel;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns what a FreeMarker expression evaluated to back into a JSON-like, immutable Java value. */
final class ModelValues {

    private ModelValues() {
    }

    static Object toJava(TemplateModel model) throws TemplateModelException {
        if (model == null) {
            return null;
        }
        if (model instanceof AdapterTemplateModel adapter) {
            return JsonValues.immutableCopy(adapter.getAdaptedObject(Object.class));
        }
        if (model instanceof WrapperTemplateModel wrapper) {
            return JsonValues.immutableCopy(wrapper.getWrappedObject());
        }
        if (model instanceof TemplateBooleanModel bool) {
            return bool.getAsBoolean();
        }
        if (model instanceof TemplateNumberModel number) {
            return normalize(number.getAsNumber());
        }
        if (model instanceof TemplateScalarModel scalar) {
            return scalar.getAsString();
        }
        if (model instanceof TemplateSequenceModel sequence) {
            List<Object> list = new ArrayList<>(sequence.size());
            for (int i = 0; i < sequence.size(); i++) {
                list.add(toJava(sequence.get(i)));
            }
            return Collections.unmodifiableList(list);
        }
        if (model instanceof TemplateHashModelEx hash) {
            Map<String, Object> map = new LinkedHashMap<>();
            TemplateModelIterator keys = hash.keys().iterator();
            while (keys.hasNext()) {
                String key = ((TemplateScalarModel) keys.next()).getAsString();
                map.put(key, toJava(hash.get(key)));
            }
            return Collections.unmodifiableMap(map);
        }
        if (model instanceof TemplateCollectionModel collection) {
            List<Object> list = new ArrayList<>();
            TemplateModelIterator items = collection.iterator();
            while (items.hasNext()) {
                list.add(toJava(items.next()));
            }
            return Collections.unmodifiableList(list);
        }
        if (model instanceof TemplateDateModel date) {
            return date.getAsDate().toInstant().toString();
        }
        throw new TemplateModelException("the expression evaluated to something that is not data (" + model.getClass().getSimpleName() + ")");
    }

    /** FreeMarker computes with BigDecimal; give whole numbers back as Integer or Long, like YAML does. */
    private static Number normalize(Number number) {
        if (number instanceof BigDecimal decimal) {
            try {
                BigInteger whole = decimal.toBigIntegerExact();
                return whole.bitLength() < 32 ? (Number) whole.intValue()
                        : whole.bitLength() < 64 ? (Number) whole.longValue() : whole;
            } catch (ArithmeticException notWhole) {
                return decimal.doubleValue();
            }
        }
        return number;
    }
}
