/* Members of the padlock command's JSON output, for the tests that check it (json-c). */
#include "json_member.h"

#include "testlib.h"

json_object *pl_json_member(json_object *o, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v)) {
        fail_msg("no member \"%s\" in %s", key, json_object_to_json_string(o));
    }
    return v;
}

const char *pl_json_str(json_object *o, const char *key) {
    json_object *v = pl_json_member(o, key);
    if (!json_object_is_type(v, json_type_string)) {
        fail_msg("member \"%s\" is not a string in %s", key, json_object_to_json_string(o));
    }
    return json_object_get_string(v);
}
