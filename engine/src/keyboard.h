// QWERTY adjacency: a substitution of a neighbouring key is a likely typo
// (technique "keyboard") and costs less than an arbitrary one.
#ifndef SQUATGUARD_ENGINE_KEYBOARD_H_
#define SQUATGUARD_ENGINE_KEYBOARD_H_

namespace squatguard {
namespace internal {

// True when a and b (ASCII, any case) are horizontally or diagonally
// adjacent keys on a US QWERTY keyboard.
bool KeyboardAdjacent(char32_t a, char32_t b);

}  // namespace internal
}  // namespace squatguard

#endif  // SQUATGUARD_ENGINE_KEYBOARD_H_
