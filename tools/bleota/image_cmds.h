/* The `bleota image` subcommands, one per cmd_image_<name>.c, dispatched by cmd_image.c. */
#ifndef BO_IMAGE_CMDS_H
#define BO_IMAGE_CMDS_H

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
} bo_image_sub_t;

extern const bo_image_sub_t bo_image_sign;
extern const bo_image_sub_t bo_image_ota;
extern const bo_image_sub_t bo_image_inspect;
extern const bo_image_sub_t bo_image_verify;
extern const bo_image_sub_t bo_image_delta;

#endif
