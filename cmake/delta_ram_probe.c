/* `make size`: the RAM a delta patch download adds to the OTA path, measured as a symbol of
 * the cross build (its size is the report's figure, cmake/size_report.cmake): the decoder
 * state, the patch header and the patch counters otas keeps for it (bo_otas_t). */
#include "bleota/otas.h"

#define FIELD_SIZE(t, f) sizeof(((t *)0)->f)

char bo_delta_ram_probe[FIELD_SIZE(bo_otas_t, delta) + FIELD_SIZE(bo_otas_t, phdr) +
                        FIELD_SIZE(bo_otas_t, patch_in) + FIELD_SIZE(bo_otas_t, route)];
