/* Reading the JSON the padlock command prints (json-c), for the tests that check it: a member
 * that must be there, a string member. Each failure fails the test naming the key and the
 * object it was looked for in. Linked only into the tests that link json-c. */
#ifndef PL_TEST_JSON_MEMBER_H
#define PL_TEST_JSON_MEMBER_H

#include <json-c/json.h>

/* The member key of the object o (borrowed from o); fails the test when there is none. */
json_object *pl_json_member(json_object *o, const char *key);

/* The string value of the member key of o (borrowed from o); fails the test when there is no
 * such member or it is not a string. */
const char *pl_json_str(json_object *o, const char *key);

#endif
