/* Every bleota command. To add one: write cmd_<name>.c defining `const bo_cli_cmd_t bo_cmd_<name>`,
 * add its extern line here and one line to the table in main.c (CMake picks up cmd_*.c). */
#ifndef BO_COMMANDS_H
#define BO_COMMANDS_H

#include "cli.h"

extern const bo_cli_cmd_t bo_cmd_keygen;
extern const bo_cli_cmd_t bo_cmd_pubkey;
extern const bo_cli_cmd_t bo_cmd_image;
extern const bo_cli_cmd_t bo_cmd_update;
extern const bo_cli_cmd_t bo_cmd_info;
extern const bo_cli_cmd_t bo_cmd_serial;

#endif
